"""Booking the LM commons' revenue share: LM API revenue -> commons pool -> share holders' wallets.

Three kinds of entry, each unique by a key that names the period, so a re-run posts nothing twice:
- `lm_revenue`: the month's metered API revenue, from LM billing (what API customers owe at the
  list price; collected outside Pay, like PG and bank money) into the platform's LM revenue;
- `commons_pool`: the commons' share of it moves from LM revenue into the commons pool;
- `commons_dividend`: one entry per holder, from the pool into that holder's Pay wallet.
The pool is guarded like a wallet, so no payout can take more than the pool was funded with.
The caller (the LM commons) runs all of them in one transaction: a period is booked whole or not at all.
"""

from __future__ import annotations

from typing import Any

from sangsaeng.payments import errors
from sangsaeng.payments.ledger import entry_post, system_account, user_ref, wallet_account
from sangsaeng.payments.models import Account, JournalEntry


def lm_revenue_book(*, period: str, amount: int) -> JournalEntry:
    """Book `period`'s LM API revenue (won) once."""
    amount = errors.amount_check(amount)
    entry, _ = entry_post(
        key=f"lm-revenue:{period}",
        kind="lm_revenue",
        lines=[(system_account(Account.Kind.LM_BILLING), -amount), (system_account(Account.Kind.LM_REVENUE), amount)],
        memo=f"LM API 매출 {period}",
    )
    return entry


def commons_pool_fund(*, period: str, amount: int) -> JournalEntry:
    """Move the commons' share of `period`'s LM revenue into the commons pool, once."""
    amount = errors.amount_check(amount)
    revenue = system_account(Account.Kind.LM_REVENUE)
    entry, _ = entry_post(
        key=f"commons-pool:{period}",
        kind="commons_pool",
        lines=[(revenue, -amount), (system_account(Account.Kind.COMMONS_POOL), amount)],
        memo=f"커먼즈 수익 배분 풀 {period}",
        guard=[revenue],
    )
    return entry


def commons_dividend_pay(*, period: str, user: Any, amount: int) -> JournalEntry:
    """Pay one share holder their part of `period`'s pool into their Pay wallet, once."""
    amount = errors.amount_check(amount)
    pool = system_account(Account.Kind.COMMONS_POOL)
    entry, _ = entry_post(
        key=f"commons-dividend:{period}:{user_ref(user)}",
        kind="commons_dividend",
        lines=[(pool, -amount), (wallet_account(user), amount)],
        memo=f"LM 커먼즈 수익 배분 {period}",
        guard=[pool],
    )
    return entry


def commons_pool_balance() -> int:
    """What the pool holds now: 0 after every fully distributed period."""
    return system_account(Account.Kind.COMMONS_POOL).balance
