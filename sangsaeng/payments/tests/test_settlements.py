"""Daily statements per payee: gross, refunds, PG fees at cost, platform fee 0, net, payout."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from freezegun import freeze_time

from sangsaeng.core.errors import Problem
from sangsaeng.payments import services
from sangsaeng.payments.ledger import ledger_audit
from sangsaeng.payments.models import Payout, Statement
from sangsaeng.payments.settlements import SEOUL, settle_yesterday

from .conftest import OTHER_SHOP, SHOP, money_snapshot

DAY = date(2026, 11, 27)


@pytest.fixture
def a_days_sales(funded_alice, shop_staff, settings):
    """On 27 Nov (Seoul): two wallet sales, one test-card sale, a partial refund, a royalty out."""
    with freeze_time(datetime(2026, 11, 27, 10, 0, tzinfo=SEOUL)):
        p1 = services.payment_create(
            payer=funded_alice,
            payee_ref=SHOP,
            amount=30_000,
            method="wallet",
            purpose="한라봉 3kg",
            order_ref="o1",
            idempotency_key="p1",
        )
        services.payment_create(
            payer=funded_alice,
            payee_ref=SHOP,
            amount=12_000,
            method="wallet",
            purpose="감귤청",
            order_ref="o2",
            idempotency_key="p2",
        )
        services.payment_create(
            payer=funded_alice,
            payee_ref=OTHER_SHOP,
            amount=5_000,
            method="wallet",
            purpose="다른 가게",
            order_ref="o3",
            idempotency_key="p3",
        )
        services.refund(
            actor=shop_staff, payment_id=p1.public_id, amount=10_000, reason="1kg 상함", idempotency_key="r1"
        )
        services.transfer(
            from_ref=SHOP,
            payee_ref=f"user:{uuid.UUID(int=9)}",
            amount=2_000,
            memo="디자인 로열티",
            idempotency_key="roy",
        )
    with freeze_time(datetime(2026, 11, 28, 0, 30, tzinfo=SEOUL)):  # the next Seoul day: not in the statement
        services.payment_create(
            payer=funded_alice,
            payee_ref=SHOP,
            amount=1_000,
            method="wallet",
            purpose="다음 날",
            order_ref="o4",
            idempotency_key="p4",
        )
    return shop_staff


def test_a_statement_shows_each_line_and_a_zero_platform_fee(a_days_sales):
    # when
    with freeze_time(datetime(2026, 11, 28, 1, 0, tzinfo=SEOUL)):
        statement = services.statement_generate(payee_ref=SHOP, day=DAY)
    # then
    assert (statement.gross, statement.refunds, statement.pg_fees, statement.platform_fee) == (42_000, 10_000, 0, 0)
    assert (statement.transfers_in, statement.transfers_out) == (0, 2_000)
    assert statement.net == 30_000
    assert statement.payout_amount == 30_000
    assert Payout.objects.get(statement=statement).amount == 30_000
    assert [line["kind"] for line in statement.lines] == ["gross", "gross", "refunds", "transfers_out"]
    assert ledger_audit()["ok"]


def test_generating_again_returns_the_same_statement_and_pays_out_once(a_days_sales):
    with freeze_time(datetime(2026, 11, 28, 1, 0, tzinfo=SEOUL)):
        first = services.statement_generate(payee_ref=SHOP, day=DAY)
        before = money_snapshot()
        assert services.statement_generate(payee_ref=SHOP, day=DAY).pk == first.pk
        creator = f"user:{uuid.UUID(int=9)}"  # the royalty's receiver is a payee of the day too
        assert [s.payee_ref for s in services.settle_day(day=DAY)] == [SHOP, OTHER_SHOP, creator]
        assert settle_yesterday() == 3
    assert Statement.objects.filter(payee_ref=SHOP).count() == 1 and Payout.objects.count() == 3
    assert money_snapshot()[0] == before[0] + 2  # only the other two payees' payout entries are new


def test_the_platform_fee_can_only_be_zero(a_days_sales):
    from django.db import IntegrityError, transaction

    with freeze_time(datetime(2026, 11, 28, 1, 0, tzinfo=SEOUL)):
        statement = services.statement_generate(payee_ref=SHOP, day=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(platform_fee=1)


def test_today_is_not_settled_yet(a_days_sales):
    with freeze_time(datetime(2026, 11, 27, 23, 0, tzinfo=SEOUL)), pytest.raises(ValueError):
        services.statement_generate(payee_ref=SHOP, day=DAY)


def test_statements_are_visible_only_to_the_payees_staff(a_days_sales, alice):
    with freeze_time(datetime(2026, 11, 28, 1, 0, tzinfo=SEOUL)):
        statement = services.statement_generate(payee_ref=SHOP, day=DAY)
        other = services.statement_generate(payee_ref=OTHER_SHOP, day=DAY)
    staff = a_days_sales
    assert services.access_statement(actor=staff, statement_id=statement.public_id).pk == statement.pk
    assert [s.pk for s in services.statement_list(actor=staff)] == [statement.pk]
    for actor, sid in ((alice, statement.public_id), (staff, other.public_id)):
        with pytest.raises(Problem) as caught:
            services.access_statement(actor=actor, statement_id=sid)
        assert caught.value.code == "not_found"
    assert services.statement_list(actor=alice) == []


def test_a_users_own_ref_is_theirs_without_any_registry(alice, bob):
    assert services.payee_refs_for(alice) == {f"user:{alice.public_id}"}


def test_payouts_export_as_bank_csv_once(a_days_sales, db):
    from sangsaeng.accounts.services import user_create

    operator = user_create(email="ops@example.com", password="x" * 20, display_name="운영", verified=True)
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    services.payee_bank_account_set(
        actor=a_days_sales, payee_ref=SHOP, bank="제주은행", number="700-01-123456", holder="제주감귤농장"
    )
    with freeze_time(datetime(2026, 11, 28, 1, 0, tzinfo=SEOUL)):
        services.statement_generate(payee_ref=SHOP, day=DAY)
    text = services.payout_export_csv(actor=operator)
    rows = [line.split(",") for line in text.strip().splitlines()]
    assert rows[0] == ["payout_id", "payee_ref", "bank", "account_number", "holder", "amount", "memo"]
    assert rows[1][1:] == [SHOP, "제주은행", "700-01-123456", "제주감귤농장", "30000", "상생페이 2026-11-27 정산"]
    assert services.payout_export_csv(actor=operator).strip().count("\n") == 0  # already exported
    with pytest.raises(Problem):
        services.payout_export_csv(actor=a_days_sales)
