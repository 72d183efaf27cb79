"""Signed outgoing webhooks: HMAC-SHA256 signatures, retries with backoff, and a delivery log.

A receiver verifies `Sangsaeng-Signature: t=<unix>,v1=<hex>` where
v1 = HMAC-SHA256(secret, f"{t}.{raw body}"), rejects timestamps older than a few minutes (replay),
and uses `Sangsaeng-Delivery` to ignore a delivery it has already processed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import random
import secrets
import socket
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sangsaeng.core import crypto
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.models import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)
SECRET_CONTEXT = "core.WebhookEndpoint.secret"
SIGNATURE_HEADER = "Sangsaeng-Signature"


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def signature_verify(*, secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does; shipped for partners' SDKs and our own example shop."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body).split(",v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _check_url(url: str) -> None:
    parsed = urlparse(url)
    bad = Problem(
        code="invalid_webhook_url",
        ko="웹훅 주소는 http(s) 공개 주소여야 합니다.",
        en="A webhook URL must be a public http(s) URL.",
        field="url",
    )
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise bad
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parsed.hostname, parsed.port or 443)}
    except socket.gaierror as exc:
        raise bad from exc
    for address in addresses:
        ip = ipaddress.ip_address(address)
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            raise bad


def endpoint_create(
    *, owner: Any, url: str, events: list[str], description: str = "", secret: str | None = None
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its secret, which is shown once and stored encrypted."""
    _check_url(url)
    secret = secret or "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        owner=owner,
        url=url,
        events=events,
        description=description,
        secret_encrypted=crypto.encrypt_text(secret, context=SECRET_CONTEXT),
    )
    return endpoint, secret


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt_text(endpoint.secret_encrypted, context=SECRET_CONTEXT)


def delivery_enqueue(*, endpoint: WebhookEndpoint, event: str, payload: dict[str, Any]) -> WebhookDelivery:
    """Queue one delivery; the first attempt runs as a task once the transaction commits."""
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=event, payload=payload, next_attempt_at=timezone.now()
    )

    def enqueue() -> None:
        from sangsaeng.core.tasks import deliver_webhook

        deliver_webhook.enqueue(delivery_id=delivery.pk)

    transaction.on_commit(enqueue)
    return delivery


def backoff(attempts: int) -> timedelta:
    """Exponential backoff with jitter: ~2 s, 4 s, 8 s … capped at one hour."""
    base: float = min(3600, 2**attempts)
    return timedelta(seconds=base * (0.8 + 0.4 * random.random()))  # noqa: S311 (jitter, not a secret)


def delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """POST a pending delivery once, record the attempt, and schedule the next on failure."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        if delivery.next_attempt_at and delivery.next_attempt_at > timezone.now():
            return delivery
        # Claim the attempt before the network call so another sweeper skips it.
        delivery.attempts += 1
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save(update_fields=["attempts", "next_attempt_at"])

    endpoint = delivery.endpoint
    body = json.dumps(
        {"id": str(delivery.public_id), "event": delivery.event, "data": delivery.payload},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "sangsaeng-webhooks/1",
        "Sangsaeng-Event": delivery.event,
        "Sangsaeng-Delivery": str(delivery.public_id),
        SIGNATURE_HEADER: signature(secret=endpoint_secret(endpoint), timestamp=timestamp, body=body),
    }
    started = time.monotonic()
    entry: dict[str, Any] = {"at": timezone.now().isoformat(), "attempt": delivery.attempts}
    ok = False
    try:
        response = httpx.post(endpoint.url, content=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
        entry["status"] = response.status_code
        ok = 200 <= response.status_code < 300
    except httpx.HTTPError as exc:
        entry["error"] = f"{type(exc).__name__}: {exc}"[:300]
    entry["ms"] = round((time.monotonic() - started) * 1000)

    delivery.log = [*delivery.log, entry][-20:]
    fields = ["log", "status", "next_attempt_at", "delivered_at"]
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    delivery.save(update_fields=fields)
    return delivery


def deliveries_due(limit: int = 100) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )


def webhook_sweep(limit: int = 100) -> int:
    sent = 0
    for delivery_id in deliveries_due(limit):
        delivery_attempt(delivery_id=delivery_id)
        sent += 1
    return sent


def access_endpoint(*, actor: Any, endpoint_id: Any) -> WebhookEndpoint:
    """The same 404 for a missing endpoint and for someone else's."""
    try:
        return WebhookEndpoint.objects.get(public_id=endpoint_id, owner=actor)
    except (WebhookEndpoint.DoesNotExist, ValueError) as exc:
        raise not_found("webhook endpoint") from exc


def endpoint_delete(*, actor: Any, endpoint_id: Any) -> None:
    access_endpoint(actor=actor, endpoint_id=endpoint_id).delete()


def endpoint_list(*, owner: Any) -> list[WebhookEndpoint]:
    return list(WebhookEndpoint.objects.filter(owner=owner).order_by("-created_at"))


def delivery_list(*, actor: Any, endpoint_id: Any, limit: int = 100) -> list[WebhookDelivery]:
    endpoint = access_endpoint(actor=actor, endpoint_id=endpoint_id)
    return list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at")[:limit])
