"""Revenue distribution: a share of each KST month's LM API revenue, paid pro rata to share holders.

Rules, and why:
- **Period.** A calendar month in Asia/Seoul (`YYYY-MM`); LM metering counts KST days. A month can
  be distributed once it has ended (00:00 KST on the 1st of the next month), never before.
- **Revenue and pool.** Revenue is the month's metered API tokens at the list price
  (`lm.selectors.revenue_won`); the pool is floor(revenue * COMMONS_REVENUE_SHARE_BPS / 10000) won.
  Pay books it: LM billing -> LM revenue -> commons pool -> each holder's wallet (`payments.commons`).
- **Holdings come from the chain.** ContributionShares is an ERC-20 on chain and the chain is its
  record: a mint still queued or reverted is not a holding, a withdrawal to the holder's linked
  address still is (the link is proven by the holder's signature), and a burn is gone. The minted
  ledger in this database only says what was meant to be minted, so it is not used for money.
  Balances are read when the distribution runs (the embedded node keeps no archive of past states).
- **Frozen shares earn nothing.** A holder's eligible shares are their on-chain holdings less
  their frozen shares, taking the larger of the chain's `frozenOf` and this database's removed
  contributions (`shares_frozen_by_owner`, which holds even while the on-chain freeze is still in
  the outbox). The pool is shared among eligible shares only, so a frozen holder's part goes to
  the other holders and the pool ends every period at 0 won.
- **Rounding: largest remainder.** Each holder gets floor(pool * eligible / total eligible); the
  won left over (fewer than the number of holders) go one each to the holders with the largest
  fractional parts, ties broken by the lower wallet address. The amounts sum to the pool exactly,
  and the same inputs always give the same split.
- **Once per period.** `RevenueDistribution.period` is unique and every Pay entry's key names the
  period; the whole period (distribution row, entries, statements) commits in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.accounts.selectors import User
from sangsaeng.chain.selectors import shares_holdings
from sangsaeng.contributions.models import Contribution, RevenueDistribution, RevenueStatement
from sangsaeng.contributions.takedown import shares_frozen_by_owner
from sangsaeng.core.errors import Problem
from sangsaeng.lm.selectors import revenue_won
from sangsaeng.payments.services import commons_dividend_pay, commons_pool_fund, lm_revenue_book

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
Progress = Callable[[str, int, int], None]


def period_parse(period: str) -> dt.date:
    """The first day of a `YYYY-MM` period, or a 422 problem."""
    match = PERIOD_RE.match((period or "").strip())
    if match is None or int(match.group(1)) < 2000:
        raise Problem(
            code="period_invalid",
            status=422,
            ko="기간은 YYYY-MM 형식의 달입니다 (예: 2026-11).",
            en="The period is a month written YYYY-MM (for example 2026-11).",
            field="period",
        )
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def period_check_closed(period: str, *, today: dt.date | None = None) -> dt.date:
    """Refuse a future or still-open period (KST); returns its first day."""
    start = period_parse(period)
    this_month = (today or timezone.localdate()).replace(day=1)
    if start > this_month:
        raise Problem(
            code="period_future",
            status=422,
            ko="아직 오지 않은 달은 배분할 수 없습니다.",
            en="A month that has not started cannot be distributed.",
            field="period",
        )
    if start == this_month:
        raise Problem(
            code="period_open",
            status=409,
            ko="이번 달은 아직 끝나지 않았습니다. 다음 달 1일 0시(한국 시간) 이후에 배분하세요.",
            en="This month is still open; distribute it after 00:00 KST on the 1st of next month.",
            field="period",
        )
    return start


def _already(existing: RevenueDistribution) -> Problem:
    return Problem(
        code="already_distributed",
        status=409,
        ko=f"{existing.period} 수익은 이미 배분했습니다.",
        en=f"The revenue of {existing.period} has already been distributed.",
        field="period",
        extra={"distribution": str(existing.public_id), "pool_won": existing.pool_won},
    )


def _nothing(reason: str, ko: str, en: str) -> Problem:
    return Problem(code="nothing_to_distribute", status=409, ko=ko, en=en, field="period", extra={"reason": reason})


def allocate(pool: int, weights: dict[Any, int], order: dict[Any, str]) -> dict[Any, tuple[int, int]]:
    """Split `pool` won over `weights` by the largest-remainder rule; returns (won, remainder won).

    Ties in the fractional part go to the lower `order` value (the holder's wallet address).
    """
    total = sum(weights.values())
    if total <= 0 or pool < 0:
        raise ValueError("allocate needs a positive total weight and a non-negative pool")
    base = {k: pool * w // total for k, w in weights.items()}
    left = pool - sum(base.values())
    ranked = sorted(weights, key=lambda k: (-(pool * weights[k] % total), order[k]))
    extra = set(ranked[:left])
    return {k: (base[k] + (1 if k in extra else 0), 1 if k in extra else 0) for k in weights}


@dataclass(frozen=True)
class HolderLine:
    user_id: int
    address: str
    held: int
    frozen: int
    eligible: int


def _holder_lines(progress: Progress | None) -> list[HolderLine]:
    owners = sorted(
        set(Contribution.objects.filter(status=Contribution.Status.ACCEPTED).values_list("owner_id", flat=True))
    )
    frozen_db = shares_frozen_by_owner()
    holdings = shares_holdings(
        user_ids=owners, progress=(lambda done, total: progress("holders", done, total)) if progress else None
    )
    lines = []
    for user_id in owners:
        h = holdings[user_id]
        frozen = max(h.frozen, int(frozen_db.get(user_id, Decimal(0))))
        if h.total == 0 and frozen == 0:
            continue
        lines.append(HolderLine(user_id, h.address, h.total, frozen, max(0, h.total - frozen)))
    return lines


def revenue_distribute(*, period: str, actor: Any = None, progress: Progress | None = None) -> RevenueDistribution:
    """Distribute `period`'s commons share of LM API revenue to share holders (see the module doc).

    `actor` is the operator asking through the API (staff only; others get 404); the operator
    command passes none.

    Refusals store nothing: period_invalid, period_future, period_open, already_distributed,
    nothing_to_distribute (no revenue, a 0% share, or no eligible shares), upstream_unavailable.
    """
    if actor is not None and not getattr(actor, "is_staff", False):
        raise Problem(code="not_found", status=404, ko="찾을 수 없습니다.", en="Not found.")  # operators only
    period = (period or "").strip()
    period_check_closed(period)
    existing = RevenueDistribution.objects.filter(period=period).first()
    if existing is not None:
        raise _already(existing)
    revenue = revenue_won(period)
    share_bps = int(settings.COMMONS_REVENUE_SHARE_BPS)
    pool = revenue["revenue_won"] * share_bps // 10_000
    if pool <= 0:
        raise _nothing(
            "no_revenue",
            f"{period}에는 배분할 LM API 매출이 없습니다.",
            f"There is no LM API revenue to distribute for {period}.",
        )
    lines = _holder_lines(progress)
    eligible = {line.user_id: line.eligible for line in lines if line.eligible > 0}
    if not eligible:
        raise _nothing(
            "no_holders",
            "배분받을 지분 보유자가 없습니다 (동결되지 않은 지분이 없음).",
            "No one holds unfrozen shares to distribute to.",
        )
    split = allocate(pool, eligible, {line.user_id: line.address.lower() for line in lines})
    try:
        with transaction.atomic():
            distribution = RevenueDistribution.objects.create(
                period=period,
                tokens=revenue["tokens"],
                price_won_per_1k_tokens=revenue["price_won_per_1k_tokens"],
                revenue_won=revenue["revenue_won"],
                share_bps=share_bps,
                pool_won=pool,
                eligible_shares=Decimal(sum(eligible.values())),
                excluded_frozen_shares=Decimal(sum(min(line.held, line.frozen) for line in lines)),
                holders=len(eligible),
                revenue_entry=lm_revenue_book(period=period, amount=revenue["revenue_won"]).public_id,
                pool_entry=commons_pool_fund(period=period, amount=pool).public_id,
                created_by=actor,
            )
            users = {u.pk: u for u in User.objects.filter(pk__in=[line.user_id for line in lines])}
            for done, line in enumerate(lines, start=1):
                won, remainder = split.get(line.user_id, (0, 0))
                entry = (
                    commons_dividend_pay(period=period, user=users[line.user_id], amount=won).public_id
                    if won > 0
                    else None
                )
                RevenueStatement.objects.create(
                    distribution=distribution,
                    holder_id=line.user_id,
                    period=period,
                    wallet_address=line.address,
                    shares_held=Decimal(line.held),
                    shares_frozen=Decimal(line.frozen),
                    shares_eligible=Decimal(line.eligible),
                    amount_won=won,
                    remainder_won=remainder,
                    entry=entry,
                )
                if progress is not None:
                    progress("payouts", done, len(lines))
    except IntegrityError:
        # another run committed this period first: its distribution stands, this one moved nothing
        raise _already(RevenueDistribution.objects.get(period=period)) from None
    return distribution
