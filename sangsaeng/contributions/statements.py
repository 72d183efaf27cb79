"""Reading revenue statements: a holder sees only their own; operators see the distributions."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sangsaeng.contributions.models import RevenueDistribution, RevenueStatement
from sangsaeng.core.errors import Problem

SHARE_UNIT = Decimal(10**18)  # ContributionShares has 18 decimals
CSV_COLUMNS = [
    "statement_id",
    "period",
    "wallet_address",
    "shares_held",
    "shares_frozen",
    "shares_eligible",
    "eligible_shares_total",
    "revenue_won",
    "share_bps",
    "pool_won",
    "amount_won",
    "remainder_won",
    "ledger_entry",
    "created_at",
]


def _not_found() -> Problem:
    return Problem(code="not_found", status=404, ko="명세서를 찾을 수 없습니다.", en="Statement not found.")


def statement_list(*, owner: Any) -> list[RevenueStatement]:
    """The owner's statements, newest period first."""
    return list(RevenueStatement.objects.filter(holder=owner).select_related("distribution").order_by("-period"))


def access_statement(*, actor: Any, statement_id: Any) -> RevenueStatement:
    """The actor's own statement; someone else's, a missing one and a malformed id are the same 404."""
    try:
        found = (
            RevenueStatement.objects.filter(holder=actor, public_id=statement_id).select_related("distribution").first()
        )
    except (ValueError, TypeError):
        found = None
    if found is None:
        raise _not_found()
    return found


def distribution_list(*, actor: Any) -> list[RevenueDistribution]:
    """Every period distributed so far (operators only; others get 404, like the takedown queue)."""
    if not getattr(actor, "is_staff", False):
        raise Problem(code="not_found", status=404, ko="찾을 수 없습니다.", en="Not found.")
    return list(RevenueDistribution.objects.order_by("-period")[:120])


def shares_display(base_units: Decimal | int) -> str:
    """Base units as whole shares with up to 4 decimals, for pages (18 decimals on chain)."""
    value = (Decimal(base_units) / SHARE_UNIT).quantize(Decimal("0.0001"))
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def statements_csv(statements: Iterable[RevenueStatement]) -> str:
    """Statements as CSV, one row each; shares in base units (18 decimals), money in won."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in statements:
        d = s.distribution
        writer.writerow(
            [
                s.public_id,
                s.period,
                s.wallet_address,
                s.shares_held,
                s.shares_frozen,
                s.shares_eligible,
                d.eligible_shares,
                d.revenue_won,
                d.share_bps,
                d.pool_won,
                s.amount_won,
                s.remainder_won,
                s.entry or "",
                s.created_at.isoformat(),
            ]
        )
    return out.getvalue()
