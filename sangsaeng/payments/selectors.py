"""Reads: wallet history, payments, deposits, statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_noop

from sangsaeng.payments.ledger import user_ref
from sangsaeng.payments.models import Account, BankDeposit, Hold, JournalLine, Payment, Statement

KIND_LABELS = {
    "topup_test": gettext_noop("테스트 충전"),
    "topup_bank": gettext_noop("계좌이체 충전"),
    "payment": gettext_noop("결제"),
    "refund": gettext_noop("환불"),
    "hold": gettext_noop("보류"),
    "hold_release": gettext_noop("보류 해제"),
    "transfer": gettext_noop("송금"),
    "commons_dividend": gettext_noop("LM 커먼즈 수익 배분"),
}

STATEMENT_LINE_LABELS = {
    "gross": gettext_noop("매출"),
    "refunds": gettext_noop("환불"),
    "pg_fees": gettext_noop("PG 수수료"),
    "transfers_in": gettext_noop("받은 분배금"),
    "transfers_out": gettext_noop("보낸 분배금 (로열티)"),
    "other": gettext_noop("기타"),
}


@dataclass(frozen=True)
class HistoryItem:
    entry_id: Any
    at: datetime
    kind: str
    memo: str
    amount: int


def wallet_history(*, user: Any, limit: int = 50, before: datetime | None = None) -> list[HistoryItem]:
    """Movements of the user's wallet, newest first (positive: money in)."""
    lines = JournalLine.objects.filter(account__kind=Account.Kind.WALLET, account__ref=user_ref(user))
    if before is not None:
        lines = lines.filter(entry__created_at__lt=before)
    return [
        HistoryItem(
            entry_id=line.entry.public_id,
            at=line.entry.created_at,
            kind=line.entry.kind,
            memo=line.entry.memo,
            amount=line.amount,
        )
        for line in lines.select_related("entry").order_by("-entry__created_at", "-id")[: max(1, min(limit, 200))]
    ]


def held_total(*, user: Any) -> int:
    account = Account.objects.filter(kind=Account.Kind.HOLD, ref=user_ref(user)).first()
    return account.balance if account else 0


def payment_list(*, payer: Any, limit: int = 50) -> list[Payment]:
    return list(Payment.objects.filter(payer=payer).order_by("-created_at")[: max(1, min(limit, 200))])


def hold_list(*, user: Any) -> list[Hold]:
    return list(Hold.objects.filter(user=user, status=Hold.Status.HELD).order_by("-created_at"))


def deposit_list(*, unmatched_only: bool = False, limit: int = 100) -> list[BankDeposit]:
    deposits = BankDeposit.objects.select_related("virtual_account__user").order_by("-created_at")
    if unmatched_only:
        deposits = deposits.filter(entry__isnull=True)
    return list(deposits[:limit])


def payable_balance(*, payee_ref: str) -> int:
    account = Account.objects.filter(kind=Account.Kind.PAYABLE, ref=payee_ref).first()
    return account.balance if account else 0


def statement_for(*, payee_ref: str, day: Any) -> Statement | None:
    return Statement.objects.filter(payee_ref=payee_ref, day=day).first()
