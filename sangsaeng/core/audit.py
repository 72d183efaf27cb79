"""The audit log of security events."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sangsaeng.core.models import AuditEvent
from sangsaeng.core.ratelimit import client_ip


def audit_record(
    *,
    action: str,
    actor: Any = None,
    request: HttpRequest | None = None,
    target: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        action=action,
        ip=client_ip(request) if request is not None else None,
        user_agent=request.headers.get("User-Agent", "")[:300] if request is not None else "",
        target=target[:200],
        data=data or {},
    )


def audit_list(*, actor: Any, limit: int = 50) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=actor).order_by("-created_at")[:limit])
