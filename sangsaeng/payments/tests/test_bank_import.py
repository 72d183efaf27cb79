"""Bank-transfer top-ups: statement CSV import and operator confirmation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sangsaeng.core.errors import Problem
from sangsaeng.payments import services
from sangsaeng.payments.ledger import ledger_audit
from sangsaeng.payments.models import BankDeposit
from sangsaeng.payments.wallet import luhn_digit, va_format, va_number_valid

from .conftest import money_snapshot

HEADER = "date,depositor,virtual_account,amount,bank_txn_id\n"


@pytest.fixture
def operator(charlie_operator):
    return charlie_operator


@pytest.fixture
def charlie_operator(db):
    from sangsaeng.accounts.services import user_create

    user = user_create(email="ops@example.com", password="x" * 20, display_name="운영자", verified=True)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_a_virtual_account_is_the_users_own_with_a_check_digit(alice, bob):
    a = services.virtual_account_get(user=alice)
    assert services.virtual_account_get(user=alice).pk == a.pk
    assert va_number_valid(a.number) and a.number.startswith("790") and len(a.number) == 14
    assert services.virtual_account_get(user=bob).number != a.number
    typo = a.number[:-1] + str((int(a.number[-1]) + 1) % 10)
    assert not va_number_valid(typo)
    assert luhn_digit("7992739871") == "3"  # the textbook Luhn example


def test_an_import_matches_deposits_to_wallets_and_is_idempotent(alice, bob, operator):
    a = services.virtual_account_get(user=alice).number
    b = services.virtual_account_get(user=bob).number
    csv_text = HEADER + f"2026-11-30,김앨리스,{va_format(a)},50000,KB001\n2026-11-30,밥,{b},12000,KB002\n"
    # when
    result = services.bank_statement_import(actor=operator, data=csv_text.encode())
    # then
    assert (result.imported, result.matched, result.duplicates, result.total_amount) == (2, 2, 0, 62_000)
    assert services.wallet_balance(user=alice) == 50_000 and services.wallet_balance(user=bob) == 12_000
    # the same file again tops up nothing
    before = money_snapshot()
    again = services.bank_statement_import(actor=operator, data=csv_text)
    assert (again.imported, again.duplicates) == (0, 2)
    assert money_snapshot() == before
    assert ledger_audit()["ok"]


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(alice, operator):
    a = services.virtual_account_get(user=alice).number
    bad_check = a[:-1] + str((int(a[-1]) + 1) % 10)
    csv_text = (
        HEADER
        + f"2026-11-30,김앨리스,{a},50000,KB001\n"
        + f"2026-13-01,김앨리스,{a},1000,KB002\n"
        + f"2026-11-30,김앨리스,{bad_check},1000,KB003\n"
        + f"2026-11-30,김앨리스,{a},-5,KB004\n"
        + f"2026-11-30,김앨리스,{a},99999999999,KB005\n"
        + f"2026-11-30,김앨리스,{a},7000,\n"
    )
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.bank_statement_import(actor=operator, data=csv_text)
    assert caught.value.code == "statement_invalid"
    assert [(e["line"], e["field"]) for e in caught.value.extra["errors"]] == [
        (3, "date"),
        (4, "virtual_account"),
        (5, "amount"),
        (6, "amount"),
        (7, "bank_txn_id"),
    ]
    assert money_snapshot() == before and not BankDeposit.objects.exists()


def test_a_wrong_header_is_refused(operator):
    with pytest.raises(Problem) as caught:
        services.bank_statement_import(actor=operator, data="when,who,amount\n")
    assert caught.value.extra["errors"][0]["line"] == 1


def test_a_known_txn_id_with_other_data_is_refused_whole(alice, operator):
    a = services.virtual_account_get(user=alice).number
    services.bank_statement_import(actor=operator, data=HEADER + f"2026-11-30,앨리스,{a},5000,KB001\n")
    before = money_snapshot()
    with pytest.raises(Problem):
        services.bank_statement_import(
            actor=operator, data=HEADER + f"2026-11-30,앨리스,{a},3000,KB009\n2026-11-30,앨리스,{a},9000,KB001\n"
        )
    assert money_snapshot() == before and not BankDeposit.objects.filter(bank_txn_id="KB009").exists()


def test_an_unknown_account_waits_for_an_operator_to_match_it(alice, operator):
    body = "790000000000"
    stray = body + "0" + luhn_digit(body + "0")
    result = services.bank_statement_import(actor=operator, data=HEADER + f"2026-11-30,김앨리스,{stray},8000,KB777\n")
    assert (result.imported, result.matched, result.unmatched) == (1, 0, 1)
    assert services.wallet_balance(user=alice) == 0
    deposit = BankDeposit.objects.get(bank_txn_id="KB777")
    services.bank_deposit_assign(
        actor=operator, deposit_id=deposit.public_id, virtual_account=services.virtual_account_get(user=alice).number
    )
    assert services.wallet_balance(user=alice) == 8_000
    with pytest.raises(Problem) as caught:
        services.bank_deposit_assign(
            actor=operator,
            deposit_id=deposit.public_id,
            virtual_account=services.virtual_account_get(user=alice).number,
        )
    assert caught.value.code == "deposit_matched" and services.wallet_balance(user=alice) == 8_000


def test_an_operator_confirms_one_deposit_once(alice, operator):
    number = services.virtual_account_get(user=alice).number
    kwargs: dict[str, Any] = dict(
        virtual_account=number, amount=30_000, depositor="김앨리스", bank_txn_id="SH-1", deposited_on=date(2026, 11, 30)
    )
    services.bank_deposit_confirm(actor=operator, **kwargs)
    services.bank_deposit_confirm(actor=operator, **kwargs)
    assert services.wallet_balance(user=alice) == 30_000


def test_only_operators_import_or_confirm(alice):
    number = services.virtual_account_get(user=alice).number
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.bank_statement_import(actor=alice, data=HEADER + f"2026-11-30,앨리스,{number},5000,KB001\n")
    assert caught.value.code == "not_found"
    with pytest.raises(Problem):
        services.bank_deposit_confirm(
            actor=alice,
            virtual_account=number,
            amount=5000,
            depositor="앨리스",
            bank_txn_id="X",
            deposited_on=date(2026, 11, 30),
        )
    assert money_snapshot() == before
