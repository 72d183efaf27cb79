"""API authentication: a personal access token (Bearer) or the browser session with CSRF."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from sangsaeng.accounts.services import token_authenticate
from sangsaeng.core import ratelimit
from sangsaeng.core.errors import invalid_token

BAD_TOKEN_SCOPE = "api-bad-token"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        ip = ratelimit.client_ip(request)
        ratelimit.check(
            scope=BAD_TOKEN_SCOPE, key=ip, limit=settings.SIGNIN_RATE_PER_IP * 3, window=settings.SIGNIN_RATE_WINDOW
        )
        try:
            user = token_authenticate(secret=token)
        except Exception:
            ratelimit.hit(scope=BAD_TOKEN_SCOPE, key=ip, window=settings.SIGNIN_RATE_WINDOW)
            raise
        request.user = user
        return user

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is not None and not header.lower().startswith("bearer "):
            raise invalid_token()
        return super().__call__(request)


api_auth = [TokenAuth(), SessionAuth(csrf=True)]
