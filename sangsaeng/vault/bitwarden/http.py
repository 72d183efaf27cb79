"""Plumbing shared by the Bitwarden endpoints: JSON in and out, bearer auth, Bitwarden's errors.

Bodies carry key material and encrypted vault data, so nothing here logs a body, and errors never
echo one back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from sangsaeng.core.errors import Problem
from sangsaeng.core.json_bounded import JsonTooDeep, loads_bounded
from sangsaeng.core.ratelimit import RateLimited
from sangsaeng.vault import services
from sangsaeng.vault.models import Device, VaultAccount

View = Callable[..., HttpResponseBase]
MAX_JSON_DEPTH = 32


def actor(request: HttpRequest) -> VaultAccount:
    """The vault account whose access token authenticated this request (see `endpoint`)."""
    return request.vault_account  # type: ignore[attr-defined]


def current_device(request: HttpRequest) -> Device:
    return request.vault_device  # type: ignore[attr-defined]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), status=status, content_type="application/json"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_json(
    message: str, *, status: int = 400, field: str = "", code: str = "", extra: dict[str, Any] | None = None
) -> HttpResponse:
    """Bitwarden's error model (as Vaultwarden writes it), plus our stable `code`."""
    body: dict[str, Any] = {
        "message": message,
        "validationErrors": {field: [message]},
        "errorModel": {"message": message, "object": "error"},
        "error": "",
        "error_description": "",
        "exceptionMessage": None,
        "exceptionStackTrace": None,
        "innerExceptionMessage": None,
        "code": code,
        "object": "error",
    }
    body.update(extra or {})
    return json_response(body, status=status)


def problem_json(problem: Problem) -> HttpResponse:
    response = error_json(
        problem.en,
        status=problem.status,
        field=problem.field or "",
        code=problem.code,
        extra={"message_ko": problem.ko},
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def rate_limited_json(exc: RateLimited) -> HttpResponse:
    message = f"Too many attempts. Try again in {exc.retry_after} seconds."
    response = error_json(message, status=429, code="rate_limited", extra={"retry_after": exc.retry_after})
    response["Retry-After"] = str(exc.retry_after)
    return response


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def read_json(request: HttpRequest) -> Any:
    """The JSON body; Problem (400) for anything that is not JSON or is nested absurdly deep."""
    if not request.body:
        return {}
    try:
        data = loads_bounded(request.body, max_depth=MAX_JSON_DEPTH)
    except JsonTooDeep:
        raise Problem(code="json_too_deep", ko="JSON이 너무 깊습니다.", en="The JSON is nested too deeply.") from None
    except (ValueError, RecursionError) as exc:
        raise Problem(
            code="malformed_json", ko="JSON 본문을 읽을 수 없습니다.", en="The request body is not valid JSON."
        ) from exc
    if _depth(data) > MAX_JSON_DEPTH:
        raise Problem(code="json_too_deep", ko="JSON이 너무 깊습니다.", en="The JSON is nested too deeply.")
    return data


def read_object(request: HttpRequest) -> dict[str, Any]:
    data = read_json(request)
    if not isinstance(data, dict):
        raise Problem(code="malformed_json", ko="JSON 객체가 필요합니다.", en="The body must be a JSON object.")
    return data


def base_url(request: HttpRequest) -> str:
    """The server URL clients were given: https://HOST/vault."""
    return request.build_absolute_uri("/vault").rstrip("/")


def guarded(view: View) -> View:
    """Turn refusals into Bitwarden errors (or a 413 for an oversized body)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except Problem as problem:
            return problem_json(problem)
        except RateLimited as exc:
            return rate_limited_json(exc)
        except RequestDataTooBig:
            return error_json("The request body is too large.", status=413, code="body_too_large")

    return wrapper


def endpoint(methods: dict[str, View], *, auth: bool = True) -> View:
    """One URL, a handler per HTTP method; with `auth`, a valid vault access token is required."""

    @csrf_exempt
    @guarded
    def dispatch(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        handler = methods.get(request.method or "")
        if handler is None:
            response = error_json("Method not allowed.", status=405, code="method_not_allowed")
            response["Allow"] = ", ".join(sorted(methods))
            return response
        if auth:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            found = services.access_authenticate(token=token.strip()) if scheme.lower() == "bearer" else None
            if found is None:
                response = error_json("Unauthorized.", status=401, code="invalid_token")
                response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
                return response
            request.vault_account, request.vault_device = found  # type: ignore[attr-defined]
        return handler(request, *args, **kwargs)

    return dispatch
