"""Idempotency-Key for mutating API requests (the IETF httpapi draft's semantics).

A client that retries a POST/PUT/PATCH/DELETE with the same key gets the first answer again, marked
`Idempotent-Replayed: true`, instead of a second effect. The same key with a different request is
refused (422), and a key whose first request is still running is refused (409). Server errors are
not stored, so a retry after a 5xx runs again. A first request that never finished (its process was
killed) stops blocking its key after IDEMPOTENCY_STALE_SECONDS: a retry then runs again. The
services whose effect must happen once (payments, checkout, drop purchases, chain intents) dedupe on
the key themselves, so that retry answers with the first effect instead of a second one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from sangsaeng.core.errors import Problem, problem_response
from sangsaeng.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
KEEP_FOR = timedelta(hours=24)
PREFIXES = ("/api/v1/",)


def _actor(request: HttpRequest) -> str:
    """Keys are scoped to who sent them, so one client can't replay another's answer."""
    auth = request.headers.get("Authorization", "")
    if auth:
        return "a:" + hashlib.sha256(auth.encode()).hexdigest()[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return "ip:" + str(request.META.get("REMOTE_ADDR", ""))


def idempotency_purge() -> int:
    """Forget answers older than KEEP_FOR; the worker runs it periodically, off the request path."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in MUTATING or not request.path.startswith(PREFIXES):
            return self.get_response(request)
        if not (1 <= len(key) <= 255) or not key.isprintable():
            return problem_response(
                request,
                Problem(
                    code="invalid_idempotency_key",
                    ko="Idempotency-Key는 1~255자의 출력 가능한 문자여야 합니다.",
                    en="Idempotency-Key must be 1 to 255 printable characters.",
                    field=HEADER,
                ),
            )
        fingerprint = hashlib.sha256(
            b"\0".join([request.method.encode(), request.get_full_path().encode(), request.body])
        ).hexdigest()
        actor = _actor(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(actor=actor, key=key, fingerprint=fingerprint)
        except IntegrityError:
            return self._replay(request, actor=actor, key=key, fingerprint=fingerprint)

        response = self.get_response(request)
        if response.status_code >= 500 or getattr(response, "streaming", False):
            record.delete()
            return response
        record.state = IdempotencyRecord.State.DONE
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.body = response.content
        record.save(update_fields=["state", "status_code", "content_type", "body"])
        return response

    def _replay(self, request: HttpRequest, *, actor: str, key: str, fingerprint: str) -> HttpResponse:
        record = IdempotencyRecord.objects.get(actor=actor, key=key)
        if record.fingerprint != fingerprint:
            return problem_response(
                request,
                Problem(
                    code="idempotency_key_reused",
                    status=422,
                    ko="같은 Idempotency-Key가 다른 요청에 이미 쓰였습니다.",
                    en="This Idempotency-Key was already used for a different request.",
                    field=HEADER,
                ),
            )
        if record.state != IdempotencyRecord.State.DONE:
            stale = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_STALE_SECONDS)
            abandoned = IdempotencyRecord.objects.filter(
                pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS, created_at__lt=stale
            )
            if record.created_at < stale and abandoned.delete()[0]:
                return self(request)  # the first attempt died with its process; one retry takes the key over
            return problem_response(
                request,
                Problem(
                    code="idempotency_in_progress",
                    status=409,
                    ko="같은 키의 요청이 아직 처리 중입니다.",
                    en="A request with this key is still being processed.",
                    headers={"Retry-After": "1"},
                ),
            )
        response = HttpResponse(bytes(record.body), status=record.status_code or 200, content_type=record.content_type)
        response["Idempotent-Replayed"] = "true"
        return response
