"""Request guards shared by every app: body size for APIs and 429 answers for rate limits."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from sangsaeng.core.errors import Problem, body_too_large, problem_response, rate_limited
from sangsaeng.core.json_bounded import nesting_depth
from sangsaeng.core.ratelimit import RateLimited

API_PREFIXES = ("/api/",)


def wants_problem_json(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES) or "json" in request.headers.get("Accept", "")


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
FORM_JSON_MAX_DEPTH = 256


class ApiBodyLimitMiddleware:
    """Refuse oversized API bodies with 413 before anything reads them, and form fields holding JSON
    nested deeper than any form needs (see core/json_bounded.py: Django's forms.JSONField, which
    allauth's passkey sign-in uses, would overflow the C stack parsing one and kill the worker)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIXES):
            limit = settings.API_MAX_BODY_BYTES
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return problem_response(request, body_too_large(limit))
        if request.method == "POST" and request.content_type in FORM_TYPES and _form_too_deep(request):
            problem = Problem(
                code="json_too_deep",
                ko="입력 값이 너무 깊게 중첩되어 있습니다.",
                en="A form field nests too deeply.",
            )
            if wants_problem_json(request):
                return problem_response(request, problem)
            return HttpResponse(problem.ko + " / " + problem.en, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig) and request.path.startswith(API_PREFIXES):
            return problem_response(request, body_too_large(settings.API_MAX_BODY_BYTES))
        return None


class ErrorMiddleware:
    """Problems and rate limits raised in pages: problem+json for programs, a page for people.

    RateLimited (sign-in, token endpoints) becomes 429 with Retry-After; a Problem raised by a
    service under a page keeps its status (a 404 for another user's object).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Problem):
            if wants_problem_json(request):
                return problem_response(request, exception)
            lang = translation.get_language() or "ko"
            title = exception.en if lang.startswith("en") else exception.ko
            return render(
                request, "core/error.html", {"status": exception.status, "title": title}, status=exception.status
            )
        if not isinstance(exception, RateLimited):
            return None
        if wants_problem_json(request):
            return problem_response(request, rate_limited(exception.retry_after))
        response = render(request, "core/429.html", {"retry_after": exception.retry_after}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


def _form_too_deep(request: HttpRequest) -> bool:
    try:
        fields = request.POST.lists()
    except Exception:  # a broken or oversized body: the view's own parsing reports it as it always has
        return False
    for _name, values in fields:
        for value in values:
            if (
                isinstance(value, str)
                and value.count("[") + value.count("{") > FORM_JSON_MAX_DEPTH
                and nesting_depth(value, limit=FORM_JSON_MAX_DEPTH) > FORM_JSON_MAX_DEPTH
            ):
                return True
    return False
