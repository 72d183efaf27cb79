"""allauth adapter: our sign-in rate limits (429 + Retry-After) and audit of failures."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from sangsaeng.core import ratelimit
from sangsaeng.core.audit import audit_record

SCOPE_ACCOUNT = "signin-account"
SCOPE_IP = "signin-ip"


def signin_guard(request: HttpRequest, email: str) -> None:
    """Refuse a sign-in attempt once an account or an IP has failed too often in the window."""
    window = settings.SIGNIN_RATE_WINDOW
    ratelimit.check(
        scope=SCOPE_ACCOUNT, key=email.strip().lower(), limit=settings.SIGNIN_RATE_PER_ACCOUNT, window=window
    )
    ratelimit.check(scope=SCOPE_IP, key=ratelimit.client_ip(request), limit=settings.SIGNIN_RATE_PER_IP, window=window)


def signin_failed(request: HttpRequest, email: str) -> None:
    window = settings.SIGNIN_RATE_WINDOW
    ratelimit.hit(scope=SCOPE_ACCOUNT, key=email.strip().lower(), window=window)
    ratelimit.hit(scope=SCOPE_IP, key=ratelimit.client_ip(request), window=window)
    audit_record(action="signin.failed", request=request, data={"email": email.strip().lower()[:200]})


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        signin_guard(request, str(credentials.get("email", "")))

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        signin_failed(request, str(credentials.get("email", "")))
