"""Refusals: bad amounts, unknown payments, double submissions, over-refunds. None moves money."""

from __future__ import annotations

import uuid

import pytest

from sangsaeng.core.errors import Problem
from sangsaeng.payments import services
from sangsaeng.payments.models import Account, Payment

from .conftest import SHOP, money_snapshot


@pytest.mark.parametrize("amount", [0, -1, -50_000, 10_000_000_001, 10**18, 1.5, "1000", True])
def test_bad_amounts_are_refused_and_move_nothing(funded_alice, amount):
    before = money_snapshot()
    for call in (
        lambda: services.payment_create(
            payer=funded_alice,
            payee_ref=SHOP,
            amount=amount,
            method="wallet",
            purpose="x",
            order_ref="",
            idempotency_key="k",
        ),
        lambda: services.wallet_topup_test(user=funded_alice, amount=amount, idempotency_key="k"),
        lambda: services.hold_place(user=funded_alice, amount=amount, ref="r", idempotency_key="k"),
        lambda: services.transfer(payer=funded_alice, payee_ref=SHOP, amount=amount, memo="m", idempotency_key="k"),
    ):
        with pytest.raises(Problem) as caught:
            call()
        assert (caught.value.code, caught.value.status) == ("invalid_amount", 422)
    assert money_snapshot() == before


def test_insufficient_funds_is_a_409_and_moves_nothing(funded_alice):
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.payment_create(
            payer=funded_alice,
            payee_ref=SHOP,
            amount=100_001,
            method="wallet",
            purpose="비싼 것",
            order_ref="",
            idempotency_key="k",
        )
    assert (caught.value.code, caught.value.status) == ("insufficient_funds", 409)
    assert money_snapshot() == before and not Payment.objects.exists()


def test_a_double_submission_pays_once(funded_alice):
    kwargs = dict(
        payer=funded_alice,
        payee_ref=SHOP,
        amount=30_000,
        method="wallet",
        purpose="귤",
        order_ref="o1",
        idempotency_key="submit-1",
    )
    first = services.payment_create(**kwargs)
    before = money_snapshot()
    assert services.payment_create(**kwargs).pk == first.pk
    assert money_snapshot() == before
    with pytest.raises(Problem) as caught:
        services.payment_create(**{**kwargs, "amount": 31_000})
    assert caught.value.code == "idempotency_conflict"
    assert money_snapshot() == before


@pytest.mark.parametrize("ref", ["", "shop", "channel:", ":abc", "channel:a b", "x" * 200])
def test_bad_payee_refs_are_refused(funded_alice, ref):
    with pytest.raises(Problem) as caught:
        services.payment_create(
            payer=funded_alice,
            payee_ref=ref,
            amount=1_000,
            method="wallet",
            purpose="x",
            order_ref="",
            idempotency_key="k",
        )
    assert caught.value.code == "invalid_payee_ref"


def test_unknown_payments_are_404s(alice, shop_staff):
    for pid in (uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(Problem) as caught:
            services.refund(actor=shop_staff, payment_id=pid, amount=1, reason="x", idempotency_key="k")
        assert caught.value.code == "not_found"
        with pytest.raises(Problem) as caught:
            services.payment_confirm_test(actor=alice, payment_id=pid)
        assert caught.value.code == "not_found"


def test_refunds_never_pass_what_was_paid(funded_alice, shop_staff):
    payment = services.payment_create(
        payer=funded_alice,
        payee_ref=SHOP,
        amount=10_000,
        method="wallet",
        purpose="x",
        order_ref="",
        idempotency_key="k",
    )
    services.refund(actor=shop_staff, payment_id=payment.public_id, amount=6_000, reason="부분", idempotency_key="r1")
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.refund(
            actor=shop_staff, payment_id=payment.public_id, amount=4_001, reason="초과", idempotency_key="r2"
        )
    assert (caught.value.code, caught.value.extra["refundable"]) == ("refund_exceeds_paid", 4_000)
    assert money_snapshot() == before
    assert services.wallet_balance(user=funded_alice) == 96_000


def test_only_the_payees_staff_may_refund(funded_alice, bob, charlie_user):
    payment = services.payment_create(
        payer=funded_alice,
        payee_ref=SHOP,
        amount=10_000,
        method="wallet",
        purpose="x",
        order_ref="",
        idempotency_key="k",
    )
    before = money_snapshot()
    for actor in (funded_alice, bob, charlie_user):  # the payer and strangers are not the shop
        with pytest.raises(Problem) as caught:
            services.refund(actor=actor, payment_id=payment.public_id, amount=1, reason="x", idempotency_key="r")
        assert caught.value.code == "not_found"
    assert money_snapshot() == before


def test_a_replayed_test_confirm_moves_no_money(alice):
    payment = services.payment_create(
        payer=alice, payee_ref=SHOP, amount=5_000, method="test", purpose="테스트", order_ref="", idempotency_key="k"
    )
    services.payment_confirm_test(actor=alice, payment_id=payment.public_id)
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.payment_confirm_test(actor=alice, payment_id=payment.public_id)
    assert caught.value.code == "payment_already_confirmed"
    assert money_snapshot() == before


def test_test_mode_off_refuses_the_test_method(alice, settings):
    settings.PAYMENTS_TEST_MODE = False
    with pytest.raises(Problem) as caught:
        services.wallet_topup_test(user=alice, amount=1_000, idempotency_key="k")
    assert caught.value.code == "payment_method_disabled"
    with pytest.raises(Problem):
        services.payment_create(
            payer=alice, payee_ref=SHOP, amount=1_000, method="test", purpose="x", order_ref="", idempotency_key="k"
        )
    assert not Payment.objects.exists()


def test_holds_release_and_capture_once(funded_alice):
    hold = services.hold_place(user=funded_alice, amount=40_000, ref="auction-7", idempotency_key="h")
    assert services.wallet_balance(user=funded_alice) == 60_000
    services.hold_release(hold_id=hold.public_id)
    services.hold_release(hold_id=hold.public_id)
    assert services.wallet_balance(user=funded_alice) == 100_000
    with pytest.raises(Problem) as caught:
        services.hold_capture(hold_id=hold.public_id, payee_ref=SHOP, idempotency_key="c")
    assert caught.value.code == "hold_released"
    other = services.hold_place(user=funded_alice, amount=10_000, ref="auction-8", idempotency_key="h2")
    captured = services.hold_capture(hold_id=other.public_id, payee_ref=SHOP, idempotency_key="c")
    assert services.hold_capture(hold_id=other.public_id, payee_ref=SHOP, idempotency_key="c").payment_id == (
        captured.payment_id
    )
    assert services.wallet_balance(user=funded_alice) == 90_000
    assert captured.payment is not None
    assert captured.payment.status == "paid" and captured.payment.amount == 10_000


def test_a_transfer_from_a_payable_cannot_overdraw_it(funded_alice):
    services.payment_create(
        payer=funded_alice,
        payee_ref=SHOP,
        amount=10_000,
        method="wallet",
        purpose="x",
        order_ref="",
        idempotency_key="k",
    )
    creator = f"user:{uuid.uuid4()}"
    services.transfer(from_ref=SHOP, payee_ref=creator, amount=1_000, memo="로열티 10%", idempotency_key="t1")
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.transfer(from_ref=SHOP, payee_ref=creator, amount=9_001, memo="초과", idempotency_key="t2")
    assert caught.value.code == "insufficient_funds"
    assert money_snapshot() == before


def test_the_longest_keys_fit_every_namespace(funded_alice):
    shop, key = f"channel:{'x' * 112}", "k" * 200  # the longest ref and key: 330 characters namespaced
    services.payment_create(
        payer=funded_alice,
        payee_ref=shop,
        amount=5_000,
        method="wallet",
        purpose="x",
        order_ref="",
        idempotency_key=key,
    )
    for _ in range(2):
        services.transfer(from_ref=shop, payee_ref=SHOP, amount=1_000, memo="로열티", idempotency_key=key)
    assert Account.objects.get(kind="payable", ref=shop).balance == 4_000
