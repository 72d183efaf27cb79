"""Conversation memory per user: retention setting, history, deletion, and the expiry sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.assistant.models import AuditEntry, Preference, Turn
from sangsaeng.core.errors import Problem

MAX_RETENTION_DAYS = 365


def retention_get(*, user: Any) -> int:
    pref = Preference.objects.filter(user=user).first()
    return pref.retention_days if pref else 30


def retention_set(*, user: Any, days: int) -> int:
    if not 0 <= days <= MAX_RETENTION_DAYS:
        raise Problem(
            code="invalid_retention",
            ko=_("보관 기간은 0일에서 365일 사이로 정해 주세요. 0일이면 대화를 저장하지 않아요."),
            en="Retention must be between 0 and 365 days (0 keeps nothing).",
            field="retention_days",
        )
    Preference.objects.update_or_create(user=user, defaults={"retention_days": days})
    if days == 0:
        Turn.objects.filter(user=user).delete()
    return days


def history(*, user: Any, limit: int = 50) -> list[Turn]:
    return list(Turn.objects.filter(user=user)[: max(1, min(limit, 200))])


def history_delete(*, user: Any) -> int:
    deleted, _rows = Turn.objects.filter(user=user).delete()
    return deleted


def audit_list(*, user: Any, limit: int = 50) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(user=user)[:limit])


def turns_expire() -> dict[str, int]:
    """Periodic: drop turns older than each user's retention (default 30 days)."""
    now = timezone.now()
    removed = 0
    for pref in Preference.objects.all():
        removed += Turn.objects.filter(
            user=pref.user, created_at__lt=now - timedelta(days=pref.retention_days)
        ).delete()[0]
    default_cut = now - timedelta(days=30)
    removed += Turn.objects.exclude(user__assistant_pref__isnull=False).filter(created_at__lt=default_cut).delete()[0]
    return {"turns_removed": removed}
