"""The ledger's invariants: balanced entries, idempotent keys, wallets never negative."""

from __future__ import annotations

import random

import pytest
from django.db import IntegrityError, connection, transaction

from sangsaeng.core.errors import Problem
from sangsaeng.payments import services
from sangsaeng.payments.ledger import entry_post, ledger_audit, system_account, user_ref, wallet_account
from sangsaeng.payments.models import Account, JournalLine, Payment

from .conftest import OTHER_SHOP, SHOP, money_snapshot


def test_an_unbalanced_entry_is_refused_before_it_touches_the_database(alice):
    # given
    before = money_snapshot()
    # when / then
    with pytest.raises(ValueError, match="sum to zero"):
        entry_post(key="k", kind="x", lines=[(wallet_account(alice), 5), (system_account("test"), -4)])
    assert money_snapshot()[:2] == before[:2]


def test_replaying_a_key_returns_the_first_entry_and_moves_nothing(alice, audited):
    # given
    first = services.wallet_topup_test(user=alice, amount=10_000, idempotency_key="t1")
    before = money_snapshot()
    # when
    again = services.wallet_topup_test(user=alice, amount=10_000, idempotency_key="t1")
    # then
    assert again.pk == first.pk
    assert money_snapshot() == before
    assert services.wallet_balance(user=alice) == 10_000


def test_replaying_a_key_with_other_parameters_is_a_conflict(alice):
    services.wallet_topup_test(user=alice, amount=10_000, idempotency_key="t1")
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.wallet_topup_test(user=alice, amount=20_000, idempotency_key="t1")
    assert (caught.value.code, caught.value.status) == ("idempotency_conflict", 409)
    assert money_snapshot() == before


def test_the_database_refuses_a_negative_wallet_even_past_the_service(alice):
    account = wallet_account(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(balance=-1)
    assert Account.objects.get(pk=account.pk).balance == 0


def test_the_database_refuses_a_zero_line(alice):
    services.wallet_topup_test(user=alice, amount=1_000, idempotency_key="t")
    entry = JournalLine.objects.order_by("id")[0].entry
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.create(entry=entry, account=wallet_account(alice), amount=0)


def test_journal_lines_are_append_only_in_the_database(alice):
    services.wallet_topup_test(user=alice, amount=1_000, idempotency_key="t")
    line = JournalLine.objects.order_by("id")[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.filter(pk=line.pk).update(amount=999_999)
    assert JournalLine.objects.get(pk=line.pk).amount == line.amount


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferred constraint triggers exist only on PostgreSQL")
def test_postgresql_refuses_to_commit_an_unbalanced_entry(alice):
    services.wallet_topup_test(user=alice, amount=1_000, idempotency_key="t")
    entry = JournalLine.objects.order_by("id")[0].entry
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS payments_line_balanced IMMEDIATE")
        JournalLine.objects.create(entry=entry, account=wallet_account(alice), amount=5)


def test_random_sequences_keep_every_account_and_the_whole_ledger_exact(alice, bob, monkeypatch):
    """Top-ups, payments, partial refunds, holds captured and released, transfers, at random,
    against a model kept in plain Python; after each step the audit must hold."""
    rng = random.Random(20261130)
    staff_refs = {SHOP, OTHER_SHOP}
    from sangsaeng.payments import access

    monkeypatch.setitem(access._RESOLVERS, "channel", lambda user: staff_refs)
    users = [alice, bob]
    wallet = {u.pk: 0 for u in users}
    held = {u.pk: 0 for u in users}
    payable = {SHOP: 0, OTHER_SHOP: 0, user_ref(bob): 0}
    paid: list[Payment] = []
    holds: list = []
    for step in range(160):
        user = rng.choice(users)
        action = rng.choice(["topup", "pay", "pay", "refund", "hold", "capture", "release", "transfer"])
        amount = rng.randint(1, 30_000)
        key = f"step-{step}"
        try:
            if action == "topup":
                services.wallet_topup_test(user=user, amount=amount, idempotency_key=key)
                wallet[user.pk] += amount
            elif action == "pay":
                payee = rng.choice([SHOP, OTHER_SHOP])
                p = services.payment_create(
                    payer=user,
                    payee_ref=payee,
                    amount=amount,
                    method="wallet",
                    purpose="상품",
                    order_ref=key,
                    idempotency_key=key,
                )
                wallet[user.pk] -= amount
                payable[payee] += amount
                paid.append(p)
            elif action == "refund" and paid:
                p = rng.choice(paid)
                p.refresh_from_db()
                part = rng.randint(1, p.amount)
                services.refund(
                    actor=alice, payment_id=p.public_id, amount=part, reason="부분 환불", idempotency_key=key
                )
                payer_pk = p.payer_id
                wallet[payer_pk] += part
                payable[p.payee_ref] -= part
            elif action == "hold":
                h = services.hold_place(user=user, amount=amount, ref=f"auction-{step}", idempotency_key=key)
                wallet[user.pk] -= amount
                held[user.pk] += amount
                holds.append(h)
            elif action in ("capture", "release") and holds:
                h = holds.pop(rng.randrange(len(holds)))
                if action == "capture":
                    h = services.hold_capture(hold_id=h.public_id, payee_ref=SHOP, idempotency_key=key)
                    payable[SHOP] += h.amount
                    assert h.payment is not None
                    paid.append(h.payment)
                else:
                    services.hold_release(hold_id=h.public_id)
                    wallet[h.user_id] += h.amount
                held[h.user_id] -= h.amount
            elif action == "transfer":
                services.transfer(
                    payer=user,
                    payee_ref=user_ref(bob) if user == alice else SHOP,
                    amount=amount,
                    memo="로열티",
                    idempotency_key=key,
                )
                wallet[user.pk] -= amount
                payable[user_ref(bob) if user == alice else SHOP] += amount
        except Problem as problem:
            assert problem.code in ("insufficient_funds", "refund_exceeds_paid"), problem.code
        for u in users:
            assert services.wallet_balance(user=u) == wallet[u.pk], (step, action)
            assert Account.objects.get(kind="hold", ref=user_ref(u)).balance == held[u.pk] if held[u.pk] else True
        for ref, expected in payable.items():
            got = Account.objects.filter(kind="payable", ref=ref).values_list("balance", flat=True).first() or 0
            assert got == expected, (step, action, ref)
        if step % 20 == 0:
            assert ledger_audit()["ok"]
    audit = ledger_audit()
    assert audit["ok"], audit
    assert audit["lines_total"] == 0 and audit["balances_total"] == 0
    assert any(w > 0 for w in wallet.values()) and paid
