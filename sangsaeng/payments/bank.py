"""Bank-transfer top-ups: deposits to users' virtual accounts, from the bank's statement CSV or an
operator's confirmation.

Statement CSV (UTF-8, header required, one deposit per row):

    date,depositor,virtual_account,amount,bank_txn_id
    2026-11-30,김상생,790-123456-7890,50000,KB20261130000123

`date` is YYYY-MM-DD, `virtual_account` may contain dashes, `amount` is whole won (digits only).
An import is all or nothing: any bad row is reported with its line number and nothing is stored.
Rows whose bank_txn_id was already imported are skipped, so importing the same file twice tops up
once. A well-formed deposit to an unknown account number is kept as unmatched for an operator.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.payments import errors
from sangsaeng.payments.access import is_operator
from sangsaeng.payments.ledger import entry_post, system_account, wallet_account
from sangsaeng.payments.models import MAX_AMOUNT, Account, BankDeposit, VirtualAccount
from sangsaeng.payments.payment import parse_id
from sangsaeng.payments.wallet import va_number_valid

COLUMNS = ["date", "depositor", "virtual_account", "amount", "bank_txn_id"]
MAX_ROWS = 10_000


@dataclass
class ImportResult:
    imported: int = 0
    matched: int = 0
    unmatched: int = 0
    duplicates: int = 0
    total_amount: int = 0
    deposits: list[BankDeposit] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    day: date
    depositor: str
    number: str
    amount: int
    txn_id: str


def _operator_check(actor: Any) -> None:
    if not is_operator(actor):
        raise not_found("page")


def _parse_row(line: int, row: dict[str, str], problems: list[dict[str, Any]]) -> _Row | None:
    def bad(name: str, message: str) -> None:
        problems.append({"line": line, "field": name, "message": message})

    raw = {k: (row.get(k) or "").strip() for k in COLUMNS}
    before = len(problems)
    try:
        day = date.fromisoformat(raw["date"])
    except ValueError:
        bad("date", "date must be YYYY-MM-DD")
    number = raw["virtual_account"].replace("-", "")
    if not va_number_valid(number):
        bad("virtual_account", "not a valid virtual account number (length or check digit)")
    if not raw["amount"].isdigit() or not 1 <= int(raw["amount"]) <= MAX_AMOUNT:
        bad("amount", f"amount must be whole won from 1 to {MAX_AMOUNT}")
    if not 1 <= len(raw["bank_txn_id"]) <= 80 or not raw["bank_txn_id"].isprintable():
        bad("bank_txn_id", "bank_txn_id is required (at most 80 characters)")
    if not 1 <= len(raw["depositor"]) <= 100:
        bad("depositor", "depositor is required (at most 100 characters)")
    if len(problems) > before:
        return None
    return _Row(line, day, raw["depositor"], number, int(raw["amount"]), raw["bank_txn_id"])


def statement_parse(data: bytes | str) -> list[_Row]:
    """Parse and check every row; raise `statement_invalid` listing each bad row by line number."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    if [c.strip() for c in (reader.fieldnames or [])] != COLUMNS:
        raise Problem(
            code="statement_invalid",
            status=422,
            ko=f"첫 줄은 {','.join(COLUMNS)} 이어야 합니다.",
            en=f"The header must be {','.join(COLUMNS)}.",
            field="file",
            extra={"errors": [{"line": 1, "field": "header", "message": "unexpected header"}]},
        )
    problems: list[dict[str, Any]] = []
    rows: list[_Row] = []
    seen: dict[str, _Row] = {}
    for index, raw in enumerate(reader):
        line = reader.line_num
        if index >= MAX_ROWS:
            problems.append({"line": line, "field": "", "message": f"more than {MAX_ROWS} rows"})
            break
        if None in raw:
            problems.append({"line": line, "field": "", "message": "too many columns"})
            continue
        row = _parse_row(line, raw, problems)
        if row is None:
            continue
        twin = seen.get(row.txn_id)
        if twin is not None and (twin.amount, twin.number, twin.day) != (row.amount, row.number, row.day):
            problems.append(
                {"line": line, "field": "bank_txn_id", "message": f"same id as line {twin.line}, other data"}
            )
            continue
        seen[row.txn_id] = row
        rows.append(row)
    if problems:
        raise Problem(
            code="statement_invalid",
            status=422,
            ko=f"잘못된 줄이 {len(problems)}개 있어 아무것도 가져오지 않았습니다.",
            en=f"{len(problems)} bad row(s); nothing was imported.",
            field="file",
            extra={"errors": problems},
        )
    return rows


def _book(deposit: BankDeposit, va: VirtualAccount) -> None:
    entry, _ = entry_post(
        key=f"bank:{deposit.bank_txn_id}",
        kind="topup_bank",
        memo=f"{deposit.depositor} 입금",
        lines=[(system_account(Account.Kind.BANK), -deposit.amount), (wallet_account(va.user), deposit.amount)],
    )
    deposit.virtual_account, deposit.entry = va, entry
    deposit.save(update_fields=["virtual_account", "entry", "confirmed_by", "updated_at"])


def _deposit(row: _Row, result: ImportResult, operator: Any | None) -> None:
    existing = BankDeposit.objects.filter(bank_txn_id=row.txn_id).first()
    if existing is not None:
        if (existing.amount, existing.account_number, existing.deposited_on) != (row.amount, row.number, row.day):
            raise Problem(
                code="statement_invalid",
                status=422,
                ko="이미 가져온 거래번호가 다른 내용으로 다시 나왔습니다.",
                en="A bank_txn_id already imported came again with other data; nothing was imported.",
                field="file",
                extra={"errors": [{"line": row.line, "field": "bank_txn_id", "message": "conflict"}]},
            )
        result.duplicates += 1
        return
    deposit = BankDeposit.objects.create(
        bank_txn_id=row.txn_id,
        deposited_on=row.day,
        depositor=row.depositor,
        account_number=row.number,
        amount=row.amount,
        confirmed_by=operator,
    )
    va = VirtualAccount.objects.filter(number=row.number).select_related("user").first()
    if va is not None:
        _book(deposit, va)
        result.matched += 1
        result.total_amount += row.amount
    else:
        result.unmatched += 1
    result.imported += 1
    result.deposits.append(deposit)


def bank_statement_import(*, actor: Any, data: bytes | str) -> ImportResult:
    """Import a bank statement CSV (operators only): all rows or none."""
    _operator_check(actor)
    rows = statement_parse(data)
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            _deposit(row, result, None)
    return result


def bank_deposit_confirm(
    *, actor: Any, virtual_account: str, amount: int, depositor: str, bank_txn_id: str, deposited_on: date
) -> BankDeposit:
    """An operator confirms one deposit seen in the bank's app; idempotent by bank_txn_id."""
    _operator_check(actor)
    amount = errors.amount_check(amount)
    number = str(virtual_account).replace("-", "").strip()
    if not va_number_valid(number):
        raise Problem(
            code="invalid_virtual_account",
            status=422,
            ko="가상계좌 번호가 올바르지 않습니다.",
            en="The virtual account number is not valid.",
            field="virtual_account",
        )
    problems: list[dict[str, Any]] = []
    row = _parse_row(
        1,
        {
            "date": deposited_on.isoformat(),
            "depositor": depositor,
            "virtual_account": number,
            "amount": str(amount),
            "bank_txn_id": bank_txn_id,
        },
        problems,
    )
    if row is None:
        first = problems[0]
        raise Problem(
            code="invalid_deposit",
            status=422,
            ko="입금 정보가 올바르지 않습니다.",
            en=str(first["message"]),
            field=str(first["field"]),
        )
    result = ImportResult()
    with transaction.atomic():
        _deposit(row, result, actor)
    return BankDeposit.objects.get(bank_txn_id=row.txn_id)


def bank_deposit_assign(*, actor: Any, deposit_id: Any, virtual_account: str) -> BankDeposit:
    """An operator matches an unmatched deposit (a typo'd account number) to a user's account."""
    _operator_check(actor)
    number = str(virtual_account).replace("-", "").strip()
    va = VirtualAccount.objects.filter(number=number).select_related("user").first()
    if va is None:
        raise Problem(
            code="unknown_virtual_account",
            status=422,
            ko="없는 가상계좌입니다.",
            en="No such virtual account.",
            field="virtual_account",
        )
    with transaction.atomic():
        try:
            deposit = BankDeposit.objects.select_for_update().get(public_id=parse_id(deposit_id, "deposit"))
        except BankDeposit.DoesNotExist as exc:
            raise not_found("deposit") from exc
        if deposit.entry_id is not None:
            raise errors.state_conflict(
                code="deposit_matched", ko="이미 반영된 입금입니다.", en="The deposit was already credited."
            )
        deposit.confirmed_by = actor
        _book(deposit, va)
    return deposit
