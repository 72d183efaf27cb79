"""The platform REST API: django-ninja under /api/v1/, OpenAPI at /api/v1/openapi.json.

Every app contributes a router from its own `api.py`. Errors leave here as problem+json.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from sangsaeng.accounts.api import router as accounts_router
from sangsaeng.accounts.auth import api_auth
from sangsaeng.assistant.api import router as assistant_router
from sangsaeng.authenticity.api import router as authenticity_router
from sangsaeng.business_cards.api import router as business_cards_router
from sangsaeng.chain.api import router as chain_router
from sangsaeng.commerce.api import router as commerce_router
from sangsaeng.contributions.api import router as contributions_router
from sangsaeng.core.api import router as core_router
from sangsaeng.core.errors import Problem, not_found, problem_response, rate_limited, unauthenticated
from sangsaeng.core.json_bounded import nesting_depth
from sangsaeng.core.ratelimit import RateLimited
from sangsaeng.drawer.api import router as drawer_router
from sangsaeng.drops.api import router as drops_router
from sangsaeng.identity.api import router as identity_router
from sangsaeng.insights.api import router as insights_router
from sangsaeng.messaging.api import router as messaging_router
from sangsaeng.partners.api import router as partners_router
from sangsaeng.payments.api import router as payments_router
from sangsaeng.search.api import router as search_router

MAX_JSON_DEPTH = 32


def _shape(value: Any, limit: int) -> tuple[int, bool]:
    """How deep the JSON nests (stopping past `limit`) and whether any string holds a NUL."""
    stack = [(value, 1)]
    deepest, nul = 0, False
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        if isinstance(item, dict):
            nul = nul or any("\x00" in key for key in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, str) and "\x00" in item:
            nul = True
    return deepest, nul


class StrictJSONParser(Parser):
    """JSON bodies only, no deeper than MAX_JSON_DEPTH, with no NUL in any string."""

    def parse_body(self, request: HttpRequest) -> Any:
        # measured before json.loads, which would overflow the C stack (see core/json_bounded.py)
        if nesting_depth(request.body, limit=MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise Problem(
                code="json_too_deep",
                ko=f"JSON이 너무 깊습니다 (최대 {MAX_JSON_DEPTH}단계).",
                en=f"The JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels).",
            )
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError) as exc:
            raise Problem(
                code="malformed_json", ko="JSON 본문을 읽을 수 없습니다.", en="The request body is not valid JSON."
            ) from exc
        depth, nul = _shape(data, MAX_JSON_DEPTH)
        if depth > MAX_JSON_DEPTH:
            raise Problem(
                code="json_too_deep",
                ko=f"JSON이 너무 깊습니다 (최대 {MAX_JSON_DEPTH}단계).",
                en=f"The JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels).",
            )
        if nul:
            # PostgreSQL text can't hold NUL, and no honest client sends one.
            raise _nul_problem()
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        """Query strings and form fields (multipart uploads' titles): no NUL either, or PostgreSQL
        refuses the write (or the lookup) with a 500."""
        for _key, values in data.lists():
            if any(isinstance(value, str) and "\x00" in value for value in values):
                raise _nul_problem()
        return super().parse_querydict(data, list_fields, request)


def _nul_problem() -> Problem:
    return Problem(
        code="nul_character",
        ko="문자열에 NUL 문자(\\u0000)를 넣을 수 없습니다.",
        en="Strings must not contain the NUL character (\\u0000).",
    )


PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "code", "message_ko", "message_en"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "Stable machine-readable code"},
        "detail": {"type": "string"},
        "message_ko": {"type": "string"},
        "message_en": {"type": "string"},
        "field": {"type": "string"},
        "instance": {"type": "string"},
    },
}


class SangsaengAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI documents the problem+json answer every operation may give."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {
            "description": "A refusal as RFC 9457 problem+json with a stable `code`",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault("4XX", problem)
                    operation["responses"].setdefault(
                        "503", {**problem, "description": "An upstream service is unavailable (retry)"}
                    )
        return schema


api = SangsaengAPI(
    title="sangsaeng API",
    version="1",
    description="상생 플랫폼 REST API. Authenticate with a session (plus CSRF) or `Authorization: Bearer <token>`.",
    urls_namespace="api-v1",
    auth=api_auth,
    parser=StrictJSONParser(),
    docs_url="/docs",
)

_VALIDATION_CODES = {"extra_forbidden": "unknown_field", "missing": "missing_field"}


def _validation_problem(exc: ValidationError) -> Problem:
    first = exc.errors[0] if exc.errors else {}
    loc = [str(part) for part in first.get("loc", []) if part not in ("body", "payload", "query", "path")]
    field = ".".join(loc) or None
    code = _VALIDATION_CODES.get(str(first.get("type", "")), "invalid_field")
    messages = {
        "unknown_field": ("알 수 없는 필드입니다.", "This field is not known."),
        "missing_field": ("필수 입력 항목입니다.", "This field is required."),
        "invalid_field": ("입력 값이 올바르지 않습니다.", "The value is not valid."),
    }
    ko, en = messages[code]
    detail_en = str(first.get("msg", en))
    return Problem(
        code=code,
        status=422,
        ko=ko,
        en=f"{en} ({detail_en})" if code == "invalid_field" else en,
        field=field,
        extra={"errors": [{"loc": e.get("loc"), "type": e.get("type"), "msg": e.get("msg")} for e in exc.errors]},
    )


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_response(request, _validation_problem(exc))


@api.exception_handler(AuthenticationError)
def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, unauthenticated())


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, Problem):
        return problem_response(request, exc.__cause__)
    return problem_response(
        request, Problem(code=f"http_{exc.status_code}", status=exc.status_code, ko=str(exc), en=str(exc))
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, not_found())


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(
        request, Problem(code="permission_denied", status=403, ko="권한이 없습니다.", en="Permission denied.")
    )


@api.exception_handler(requests.exceptions.ConnectionError)
@api.exception_handler(requests.exceptions.Timeout)
def _upstream_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """An upstream service (the chain node, say) did not answer: a retryable 503, not a crash."""
    return problem_response(
        request,
        Problem(
            code="upstream_unavailable",
            status=503,
            ko="연결된 서비스가 잠시 응답하지 않습니다. 잠시 후 다시 시도하세요.",
            en="A service this depends on is not answering. Try again shortly.",
            headers={"Retry-After": "5"},
        ),
    )


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return problem_response(request, rate_limited(exc.retry_after))


api.add_router("/", accounts_router)
api.add_router("/", core_router)
api.add_router("/", drawer_router)
api.add_router("/", identity_router)
api.add_router("/", business_cards_router)
api.add_router("/chain", chain_router)
api.add_router("/partners", partners_router)
api.add_router("/", messaging_router)
api.add_router("/", payments_router)
api.add_router("/", search_router)
api.add_router("/authenticity", authenticity_router)
api.add_router("/drops", drops_router)
api.add_router("/assistant", assistant_router)
api.add_router("/commerce", commerce_router)
api.add_router("/", insights_router)
api.add_router("/", contributions_router)
