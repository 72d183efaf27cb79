"""problem+json (RFC 9457) errors with a stable `code` and messages in Korean and English.

Every refusal the platform gives a program goes through `Problem`: the `code` is a contract that
clients may switch on, the messages are for people, and `field` names the input at fault.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

PROBLEM_CONTENT_TYPE = "application/problem+json"


# The members every problem has; `extra` adds to them and never replaces one.
_MEMBERS = frozenset({"type", "title", "status", "code", "detail", "message_ko", "message_en", "field", "instance"})


class Problem(Exception):
    """Raise from a service or view to refuse a request with a problem+json answer."""

    def __init__(
        self,
        *,
        code: str,
        status: int = 400,
        ko: str,
        en: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(en)
        self.code = code
        self.status = status
        self.ko = ko
        self.en = en
        self.field = field
        self.headers = headers or {}
        self.extra = extra or {}
        clashing = _MEMBERS & self.extra.keys()
        if clashing:
            # `status` overwritten by an order's state broke RFC 9457 and every generated client
            raise ValueError(f"extra members would overwrite the problem's own: {sorted(clashing)}")

    def body(self, *, instance: str = "", language: str | None = None) -> dict[str, Any]:
        lang = language or translation.get_language() or "ko"
        data: dict[str, Any] = {
            "type": f"/problems/{self.code}",
            "title": self.en if lang.startswith("en") else self.ko,
            "status": self.status,
            "code": self.code,
            "detail": self.en if lang.startswith("en") else self.ko,
            "message_ko": self.ko,
            "message_en": self.en,
        }
        if self.field:
            data["field"] = self.field
        if instance:
            data["instance"] = instance
        data.update(self.extra)
        return data


def problem_response(request: HttpRequest | None, problem: Problem) -> HttpResponse:
    body = problem.body(instance=request.path if request is not None else "")
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def not_found(thing: str = "object") -> Problem:
    """The one answer for both "missing" and "not yours", so ids can't be probed."""
    return Problem(code="not_found", status=404, ko="찾을 수 없습니다.", en=f"The {thing} was not found.")


def unauthenticated() -> Problem:
    return Problem(code="unauthenticated", status=401, ko="로그인이 필요합니다.", en="Authentication is required.")


def invalid_token() -> Problem:
    return Problem(
        code="invalid_token",
        status=401,
        ko="토큰이 올바르지 않거나 만료되었습니다.",
        en="The token is invalid, revoked or expired.",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def body_too_large(limit: int) -> Problem:
    return Problem(
        code="body_too_large",
        status=413,
        ko=f"요청 본문이 너무 큽니다. 최대 {limit:,}바이트까지 보낼 수 있습니다.",
        en=f"The request body is too large; the limit is {limit:,} bytes.",
        extra={"limit": limit},
    )


def rate_limited(retry_after: int) -> Problem:
    return Problem(
        code="rate_limited",
        status=429,
        ko=f"요청이 너무 많습니다. {retry_after}초 후에 다시 시도하세요.",
        en=f"Too many requests. Try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
        extra={"retry_after": retry_after},
    )
