"""Reads for pages, the LM commons (revenue booking) and other apps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from sangsaeng.lm.models import ApiKey, UsageDay
from sangsaeng.lm.usage import month_start, revenue_won, tokens_this_month, usage_totals


def key_list(*, owner: Any) -> list[ApiKey]:
    return list(ApiKey.objects.filter(owner=owner))


def usage_days(*, owner: Any, days: int = 30) -> list[dict[str, Any]]:
    """Per day and key for the owner's keys over the last `days` days, newest first."""
    since = timezone.localdate() - dt.timedelta(days=days)
    rows = (
        UsageDay.objects.filter(key__owner=owner, day__gte=since).select_related("key").order_by("-day", "key__label")
    )
    return [
        {
            "day": row.day,
            "key": row.key,
            "requests": row.requests,
            "prompt_tokens": row.prompt_tokens,
            "completion_tokens": row.completion_tokens,
            "total_tokens": row.prompt_tokens + row.completion_tokens,
        }
        for row in rows
    ]


def usage_month_summary(*, owner: Any) -> dict[str, int]:
    totals = UsageDay.objects.filter(key__owner=owner, day__gte=month_start()).aggregate(
        requests=Sum("requests"), prompt=Sum("prompt_tokens"), completion=Sum("completion_tokens")
    )
    prompt, completion = int(totals["prompt"] or 0), int(totals["completion"] or 0)
    return {
        "requests": int(totals["requests"] or 0),
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


__all__ = ["key_list", "revenue_won", "tokens_this_month", "usage_days", "usage_month_summary", "usage_totals"]
