"""Reads: the dashboard with its comparison period, single metrics, consented customers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.errors import Problem
from sangsaeng.insights.access import access_partner
from sangsaeng.insights.compaction import compaction_state
from sangsaeng.insights.engine import SEGMENTS, WIDGETS, PartnerData, Range
from sangsaeng.insights.models import CustomerConsent
from sangsaeng.insights.services import KST

MAX_RANGE_DAYS = 366

SEGMENT_LABELS = {
    "champions": _("챔피언"),
    "loyal": _("충성 고객"),
    "new": _("신규 고객"),
    "at_risk": _("이탈 위험"),
    "hibernating": _("휴면 고객"),
    "potential": _("잠재 충성 고객"),
}


def _bad_range(ko: str, en: str, field: str = "start") -> Problem:
    return Problem(code="range_invalid", ko=ko, en=en, field=field)


def range_parse(start: Any, end: Any) -> Range:
    """`start`/`end` as YYYY-MM-DD (inclusive, KST); defaults to the last 28 days."""
    today = timezone.now().astimezone(KST).date()
    try:
        end_day = date.fromisoformat(end) if end else today
    except (TypeError, ValueError):
        raise _bad_range("종료일은 YYYY-MM-DD 형식이어야 합니다.", "end must be a date (YYYY-MM-DD).", "end") from None
    try:
        start_day = date.fromisoformat(start) if start else end_day - timedelta(days=27)
    except (TypeError, ValueError):
        raise _bad_range("시작일은 YYYY-MM-DD 형식이어야 합니다.", "start must be a date (YYYY-MM-DD).") from None
    if start_day > end_day:
        raise _bad_range("시작일이 종료일보다 늦습니다.", "start is after end.")
    if end_day > today + timedelta(days=1):
        raise _bad_range("미래 날짜는 조회할 수 없습니다.", "The range ends in the future.", "end")
    if start_day.year < 2000:
        raise _bad_range("2000년 이전은 조회할 수 없습니다.", "The range starts before the year 2000.")
    if (end_day - start_day).days + 1 > MAX_RANGE_DAYS:
        raise Problem(
            code="range_too_large",
            ko=f"기간은 최대 {MAX_RANGE_DAYS}일입니다.",
            en=f"A range covers at most {MAX_RANGE_DAYS} days.",
            field="start",
        )
    return Range(start_day, end_day)


def metric_check(metric: str) -> str:
    if metric not in WIDGETS:
        raise Problem(
            code="metric_unknown",
            status=404,
            ko="알 수 없는 지표입니다.",
            en=f"Unknown metric; choose one of: {', '.join(WIDGETS)}.",
            field="metric",
        )
    return metric


def _delta(now: int | float, before: int | float) -> float | None:
    return round((now - before) / before, 4) if before else None


def dashboard(*, actor: Any, ref: str, r: Range) -> dict[str, Any]:
    name = access_partner(actor=actor, ref=ref)
    prev = r.previous()
    with PartnerData(ref) as data:
        summary, before = data.summary(r), data.summary(prev)
        return {
            "partner": {"ref": ref, "name": name},
            "range": {"start": r.start.isoformat(), "end": r.end.isoformat()},
            "previous": {"start": prev.start.isoformat(), "end": prev.end.isoformat()},
            "summary": summary,
            "summary_previous": before,
            "change": {k: _delta(summary[k], before[k]) for k in ("total_sales", "orders", "average_order_value")},
            "sales_daily": data.sales_daily(r),
            "sales_daily_previous": data.sales_daily(prev),
            "funnel": data.funnel(r),
            "returning": data.returning(r),
            "top_products": data.top_products(r),
            "followers": data.followers(r),
            "broadcasts": data.broadcasts(r),
            "cohorts": data.cohorts(r),
            "freshness": _freshness(),
        }


def metric(*, actor: Any, ref: str, name: str, r: Range) -> Any:
    access_partner(actor=actor, ref=ref)
    metric_check(name)
    with PartnerData(ref) as data:
        return data.widget(name, r)


def _freshness() -> dict[str, Any]:
    state = compaction_state()
    at = state["compacted_at"]
    return {"compacted_at": at.isoformat() if at else None, "pending_events": state["pending"]}


def customers(*, actor: Any, ref: str, segment: str | None = None, as_of: date | None = None) -> list[dict[str, Any]]:
    """RFM rows for customers who consented to share their identity with this partner."""
    access_partner(actor=actor, ref=ref)
    if segment is not None and segment not in SEGMENTS:
        raise Problem(
            code="segment_unknown", ko="알 수 없는 고객 세그먼트입니다.", en="Unknown segment.", field="segment"
        )
    consents = {c.subject: c for c in CustomerConsent.objects.filter(partner_ref=ref).select_related("user")}
    with PartnerData(ref) as data:
        rows = data.rfm(list(consents), as_of or timezone.now().astimezone(KST).date())
    out = []
    for row in rows:
        if segment and row["segment"] != segment:
            continue
        user = consents[row["subject"]].user
        row["name"] = str(getattr(user, "display_name", "") or "")
        row["email"] = user.email
        row["user_id"] = str(getattr(user, "public_id", user.pk))
        out.append(row)
    return out


def segment_users(*, actor: Any, ref: str, segment: str) -> list[Any]:
    """Users in an RFM segment (consented only): broadcast targets for the partner."""
    ids = {row["user_id"] for row in customers(actor=actor, ref=ref, segment=segment)}
    consents = CustomerConsent.objects.filter(partner_ref=ref).select_related("user")
    return [c.user for c in consents if str(getattr(c.user, "public_id", c.user.pk)) in ids]
