"""Metering: tokens per key per day, monthly quotas, and totals for the LM commons' revenue.

Days are Asia/Seoul calendar days (`timezone.localdate()`, TIME_ZONE is Asia/Seoul): a monthly
quota resets at 00:00 KST on the 1st, and the commons distributes revenue per KST month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from sangsaeng.lm.models import ApiKey, UsageDay


def usage_record(*, key: ApiKey, prompt_tokens: int, completion_tokens: int, requests: int = 1) -> None:
    """Add one request's tokens to today's row for `key` (KST day), creating it if needed."""
    today = timezone.localdate()
    with transaction.atomic():
        row, _ = UsageDay.objects.get_or_create(key=key, day=today)
        UsageDay.objects.filter(pk=row.pk).update(
            requests=F("requests") + requests,
            prompt_tokens=F("prompt_tokens") + max(0, int(prompt_tokens)),
            completion_tokens=F("completion_tokens") + max(0, int(completion_tokens)),
        )
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())


def month_start(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today.replace(day=1)


def tokens_this_month(*, key: ApiKey) -> int:
    totals = UsageDay.objects.filter(key=key, day__gte=month_start()).aggregate(
        p=Sum("prompt_tokens"), c=Sum("completion_tokens")
    )
    return int(totals["p"] or 0) + int(totals["c"] or 0)


def _period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """`YYYY-MM` (a month) or `YYYY-MM-DD` (a day), inclusive start and exclusive end."""
    try:
        if len(period) == 7:
            start = dt.date.fromisoformat(period + "-01")
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return start, end
        day = dt.date.fromisoformat(period)
        return day, day + dt.timedelta(days=1)
    except ValueError:
        raise ValueError(f"period must be YYYY-MM or YYYY-MM-DD, not {period!r}") from None


def usage_totals(period: str) -> list[dict[str, Any]]:
    """Tokens per key (with owner and partner label) in `period`, for booking revenue.

    One dict per key that was used: key public id, owner id, partner, requests, prompt_tokens,
    completion_tokens, total_tokens; sorted by total tokens, highest first.
    """
    start, end = _period_bounds(period)
    rows = (
        UsageDay.objects.filter(day__gte=start, day__lt=end)
        .values("key__public_id", "key__owner_id", "key__partner", "key__label")
        .annotate(
            requests=Sum("requests"), prompt_tokens=Sum("prompt_tokens"), completion_tokens=Sum("completion_tokens")
        )
    )
    totals = [
        {
            "key": str(row["key__public_id"]),
            "owner_id": row["key__owner_id"],
            "label": row["key__label"],
            "partner": row["key__partner"],
            "requests": int(row["requests"] or 0),
            "prompt_tokens": int(row["prompt_tokens"] or 0),
            "completion_tokens": int(row["completion_tokens"] or 0),
        }
        for row in rows
    ]
    for row in totals:
        row["total_tokens"] = row["prompt_tokens"] + row["completion_tokens"]
    return sorted(totals, key=lambda r: (-r["total_tokens"], r["key"]))


def revenue_won(period: str) -> dict[str, Any]:
    """LM API revenue of `period` at the list price (LM_PRICE_WON_PER_1K_TOKENS, prompt and
    completion tokens alike): each key is billed floor(tokens * price / 1000) won, as its invoice
    would be, and the revenue is the sum of those. Returns tokens, price, revenue and the keys."""
    price = int(settings.LM_PRICE_WON_PER_1K_TOKENS)
    keys = usage_totals(period)
    for row in keys:
        row["won"] = row["total_tokens"] * price // 1000
    return {
        "period": period,
        "price_won_per_1k_tokens": price,
        "tokens": sum(r["total_tokens"] for r in keys),
        "revenue_won": sum(r["won"] for r in keys),
        "keys": keys,
    }
