"""Downloads (CSV and Parquet of a partner's own events, customers as CSV) and the weekly mail."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sangsaeng.core.errors import Problem
from sangsaeng.insights import selectors
from sangsaeng.insights.access import access_partner, all_partner_refs, partner_name, partner_recipients
from sangsaeng.insights.compaction import COLUMNS, temp_export_path
from sangsaeng.insights.engine import PartnerData, Range
from sangsaeng.insights.models import WeeklyReport
from sangsaeng.insights.services import KST

EXPORT_COLUMNS = [c for c, _ in COLUMNS if c not in ("id", "partner_ref")]
FORMATS = ("csv", "parquet")


def events_export(*, actor: Any, ref: str, r: Range, fmt: str) -> Path:
    """A file with the partner's events in the range; the caller streams and deletes it."""
    access_partner(actor=actor, ref=ref)
    if fmt not in FORMATS:
        raise Problem(
            code="format_unknown",
            ko="CSV 또는 Parquet만 내려받을 수 있습니다.",
            en="Format must be csv or parquet.",
            field="format",
        )
    target = temp_export_path(f".{fmt}")
    options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet, COMPRESSION zstd"
    cols = ", ".join([*EXPORT_COLUMNS, "day"])
    with PartnerData(ref) as data:
        data.con.execute(
            f"COPY (SELECT {cols} FROM ev WHERE day BETWEEN ? AND ? ORDER BY occurred_at, id) TO ? ({options})",  # noqa: S608
            [r.start, r.end, str(target)],
        )
    return target


def customers_csv(*, actor: Any, ref: str, segment: str | None = None) -> str:
    rows = selectors.customers(actor=actor, ref=ref, segment=segment)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "segment", "recency_days", "frequency", "monetary_krw", "r", "f", "m"])
    for row in rows:
        writer.writerow(
            [
                _cell(row["name"]),
                _cell(row["email"]),
                row["segment"],
                row["recency_days"],
                row["frequency"],
                row["monetary"],
                row["r"],
                row["f"],
                row["m"],
            ]
        )
    return out.getvalue()


def _cell(value: str) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas; make them plain text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def weekly_reports_send(*, now: Any = None) -> int:
    """On Mondays (KST), mail each partner's staff last week's summary, once per partner and week."""
    today = (now or timezone.now()).astimezone(KST).date()
    if today.weekday() != 0:
        return 0
    week = Range(today - timedelta(days=7), today - timedelta(days=1))
    sent = 0
    for ref in all_partner_refs():
        recipients = partner_recipients(ref)
        if not recipients:
            continue
        try:
            with transaction.atomic():
                WeeklyReport.objects.create(partner_ref=ref, week_start=week.start, recipients=len(recipients))
                with PartnerData(ref) as data:
                    summary, funnel = data.summary(week), data.funnel(week)
                with override("ko"):
                    subject = _("[상생] %(name)s 주간 리포트 (%(start)s ~ %(end)s)") % {
                        "name": partner_name(ref) or ref,
                        "start": week.start.isoformat(),
                        "end": week.end.isoformat(),
                    }
                    body = _(
                        "총매출 %(sales)s원, 주문 %(orders)s건, 평균 주문 금액 %(aov)s원, "
                        "방문 세션 %(sessions)s, 결제 전환 %(paid)s.\n"
                        "자세한 내용은 파트너 데이터 대시보드에서 확인하세요."
                    ) % {
                        "sales": f"{summary['total_sales']:,}",
                        "orders": summary["orders"],
                        "aov": f"{summary['average_order_value']:,}",
                        "sessions": funnel[0]["sessions"],
                        "paid": funnel[-1]["sessions"],
                    }
                send_mail(subject, body, None, recipients)
                sent += 1
        except IntegrityError:
            continue  # already sent this week
    return sent
