"""Daily settlement statements per payee and the payouts that pay them.

A statement covers one Asia/Seoul day of the payee's payable account: gross sales, refunds, PG fees
passed through at cost, the platform fee (always 0, a line of its own and a CHECK constraint), the
transfers in and out, the net, and the payout. Generating it again returns the same statement.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sangsaeng.core.errors import not_found
from sangsaeng.payments.access import is_operator, payee_refs_for
from sangsaeng.payments.ledger import entry_post, payable_account, system_account
from sangsaeng.payments.models import Account, JournalLine, PayeeBankAccount, Payout, Statement
from sangsaeng.payments.payment import parse_id

SEOUL = ZoneInfo("Asia/Seoul")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=SEOUL)
    return start, start + timedelta(days=1)


def seoul_today() -> date:
    return timezone.now().astimezone(SEOUL).date()


def _lines(payee_ref: str, day: date) -> list[JournalLine]:
    start, end = day_bounds(day)
    return list(
        JournalLine.objects.filter(
            account__kind=Account.Kind.PAYABLE,
            account__ref=payee_ref,
            entry__created_at__gte=start,
            entry__created_at__lt=end,
        )
        .exclude(entry__kind="payout")
        .select_related("entry")
        .order_by("entry__created_at", "id")
    )


def _figures(lines: list[JournalLine]) -> dict[str, Any]:
    f = {"gross": 0, "refunds": 0, "pg_fees": 0, "transfers_in": 0, "transfers_out": 0}
    detail = []
    for line in lines:
        kind, amount = line.entry.kind, line.amount
        if kind == "payment":
            label = "gross" if amount > 0 else "pg_fees"
            f[label] += abs(amount)
        elif kind == "refund":
            label = "refunds" if amount < 0 else "pg_fees"
            f[label] += -amount  # a refund counts up; a returned fee (positive) lowers the fee total
        elif kind == "transfer":
            label = "transfers_in" if amount > 0 else "transfers_out"
            f[label] += abs(amount)
        else:
            label = "other"
        detail.append(
            {
                "at": line.entry.created_at.astimezone(SEOUL).strftime("%H:%M"),
                "kind": label,
                "memo": line.entry.memo,
                "amount": amount,
            }
        )
    f["net"] = f["gross"] - f["refunds"] - f["pg_fees"] + f["transfers_in"] - f["transfers_out"]
    return {**f, "detail": detail}


def statement_generate(*, payee_ref: str, day: date) -> Statement:
    """The payee's statement for `day` (Seoul), made once; then its payout, if there is money to pay.

    Only past days are settled, so a statement never misses a late entry of its own day.
    """
    found = Statement.objects.filter(payee_ref=payee_ref, day=day).first()
    if found is not None:
        return found
    if day >= seoul_today():
        raise ValueError("only days that have ended can be settled")
    figures = _figures(_lines(payee_ref, day))
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                payee_ref=payee_ref,
                day=day,
                gross=figures["gross"],
                refunds=figures["refunds"],
                pg_fees=figures["pg_fees"],
                platform_fee=0,
                transfers_in=figures["transfers_in"],
                transfers_out=figures["transfers_out"],
                net=figures["net"],
                lines=figures["detail"],
            )
            payable = payable_account(payee_ref)
            balance = Account.objects.select_for_update().get(pk=payable.pk).balance
            amount = max(0, min(figures["net"], balance))
            if amount:
                entry, _ = entry_post(
                    key=f"payout:{payee_ref}:{day.isoformat()}",
                    kind="payout",
                    memo=f"{day} 정산",
                    lines=[(payable, -amount), (system_account(Account.Kind.PAYOUTS), amount)],
                    guard=[payable],
                )
                Payout.objects.create(statement=statement, payee_ref=payee_ref, amount=amount, entry=entry)
                statement.payout_amount = amount
                statement.save(update_fields=["payout_amount", "updated_at"])
    except IntegrityError:
        return Statement.objects.get(payee_ref=payee_ref, day=day)
    return statement


def payees_with_activity(day: date) -> list[str]:
    start, end = day_bounds(day)
    return sorted(
        set(
            JournalLine.objects.filter(
                account__kind=Account.Kind.PAYABLE, entry__created_at__gte=start, entry__created_at__lt=end
            ).values_list("account__ref", flat=True)
        )
    )


def settle_day(*, day: date) -> list[Statement]:
    """Statements for every payee with activity on `day` (idempotent: the command and the job)."""
    return [statement_generate(payee_ref=ref, day=day) for ref in payees_with_activity(day)]


def settle_yesterday() -> int:
    """Periodic job: settle yesterday (Seoul) for payees not yet settled."""
    return len(settle_day(day=seoul_today() - timedelta(days=1)))


def access_statement(*, actor: Any, statement_id: Any) -> Statement:
    """A statement of a payee the actor acts for, or 404."""
    try:
        statement = Statement.objects.get(public_id=parse_id(statement_id, "statement"))
    except Statement.DoesNotExist as exc:
        raise not_found("statement") from exc
    if statement.payee_ref not in payee_refs_for(actor):
        raise not_found("statement")
    return statement


def statement_list(*, actor: Any, payee_ref: str | None = None) -> list[Statement]:
    refs = payee_refs_for(actor)
    if payee_ref is not None:
        refs &= {payee_ref}
    return list(Statement.objects.filter(payee_ref__in=refs).order_by("-day")[:100])


def payee_bank_account_set(*, actor: Any, payee_ref: str, bank: str, number: str, holder: str) -> PayeeBankAccount:
    """Where the payee's payouts go; only someone acting for the payee (or an operator) sets it."""
    if not is_operator(actor) and payee_ref not in payee_refs_for(actor):
        raise not_found("payee")
    account, _ = PayeeBankAccount.objects.update_or_create(
        payee_ref=payee_ref, defaults={"bank": bank[:40], "number": number[:30], "holder": holder[:60]}
    )
    return account


def payout_export_csv(*, actor: Any, day: date | None = None) -> str:
    """Bank transfer instructions for payouts not yet exported (or all of `day`); operators only.

    Columns: payout_id,payee_ref,bank,account_number,holder,amount,memo. Exported payouts are marked.
    """
    if not is_operator(actor):
        raise not_found("page")
    payouts = Payout.objects.select_related("statement").order_by("created_at")
    payouts = payouts.filter(statement__day=day) if day else payouts.filter(exported_at__isnull=True)
    banks = {b.payee_ref: b for b in PayeeBankAccount.objects.filter(payee_ref__in=[p.payee_ref for p in payouts])}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["payout_id", "payee_ref", "bank", "account_number", "holder", "amount", "memo"])
    for p in payouts:
        bank = banks.get(p.payee_ref)
        writer.writerow(
            [
                p.public_id,
                p.payee_ref,
                bank.bank if bank else "",
                bank.number if bank else "",
                bank.holder if bank else "",
                p.amount,
                f"상생페이 {p.statement.day} 정산",
            ]
        )
    Payout.objects.filter(Q(pk__in=[p.pk for p in payouts]) & Q(exported_at__isnull=True)).update(
        exported_at=timezone.now()
    )
    return out.getvalue()
