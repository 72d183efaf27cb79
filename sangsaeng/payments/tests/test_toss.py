"""Card payments through the Toss adapter, against a local HTTP server that speaks Toss's API."""

from __future__ import annotations

import pytest

from sangsaeng.core.errors import Problem
from sangsaeng.payments import services
from sangsaeng.payments.ledger import ledger_audit
from sangsaeng.payments.models import Account, Payment

from .conftest import SHOP, money_snapshot


def _pending(alice, amount: int = 39_000) -> Payment:
    return services.payment_create(
        payer=alice,
        payee_ref=SHOP,
        amount=amount,
        method="card",
        purpose="제주 감귤 5kg",
        order_ref="order-1",
        idempotency_key="card-1",
    )


def _payable() -> int:
    return Account.objects.filter(kind="payable", ref=SHOP).values_list("balance", flat=True).first() or 0


def test_card_is_off_without_toss_keys(alice, settings):
    settings.TOSS_SECRET_KEY = ""
    with pytest.raises(Problem) as caught:
        _pending(alice)
    assert caught.value.code == "payment_method_disabled"
    assert not Payment.objects.exists()


def test_confirm_books_the_payment_and_passes_the_pg_fee_through(alice, toss):
    # given: a pending payment the buyer authorised in the widget
    payment = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(payment.public_id), amount=39_000)
    assert _payable() == 0
    # when
    paid = services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    # then
    assert paid.status == "paid" and paid.pg_method == "카드" and paid.pg_fee == 975
    assert _payable() == 39_000 - 975
    path, body = toss.requests[-1]
    assert path == "/v1/payments/confirm"
    assert body == {"paymentKey": "pk_1", "orderId": str(payment.public_id), "amount": 39_000}
    assert ledger_audit()["ok"]


def test_an_amount_that_differs_from_the_pending_payment_is_refused_without_asking_toss(alice, toss):
    payment = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(payment.public_id), amount=1_000)
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=1_000)
    assert (caught.value.code, caught.value.extra["expected"]) == ("amount_mismatch", 39_000)
    assert toss.requests == []
    assert money_snapshot() == before
    assert Payment.objects.get(pk=payment.pk).status == "pending"


def test_toss_refusing_a_tampered_amount_books_nothing(alice, toss):
    # the widget authorised 1,000 won but our order is 39,000: Toss refuses the confirm
    payment = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(payment.public_id), amount=1_000)
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    assert (caught.value.code, caught.value.extra["pg_code"]) == ("pg_declined", "INVALID_REQUEST")
    assert money_snapshot() == before
    assert Payment.objects.get(pk=payment.pk).status == "failed"


def test_a_replayed_confirm_moves_no_money(alice, toss):
    payment = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(payment.public_id), amount=39_000)
    services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    before, calls = money_snapshot(), len(toss.requests)
    with pytest.raises(Problem) as caught:
        services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    assert (caught.value.code, caught.value.status) == ("payment_already_confirmed", 409)
    assert money_snapshot() == before
    assert len(toss.requests) == calls


def test_another_users_confirm_is_a_404(alice, bob, toss):
    payment = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(payment.public_id), amount=39_000)
    with pytest.raises(Problem) as caught:
        services.payment_confirm_card(actor=bob, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    assert caught.value.code == "not_found"
    assert Payment.objects.get(pk=payment.pk).status == "pending" and toss.requests == []


def test_a_refund_cancels_at_toss_and_returns_the_fee_share(alice, shop_staff, toss):
    # given
    payment = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(payment.public_id), amount=39_000)
    services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    # when: a partial refund, then the rest
    first = services.refund(
        actor=shop_staff, payment_id=payment.public_id, amount=13_000, reason="1kg 상함", idempotency_key="r1"
    )
    second = services.refund(
        actor=shop_staff, payment_id=payment.public_id, amount=26_000, reason="반품", idempotency_key="r2"
    )
    # then
    assert toss.requests[-2] == ("/v1/payments/pk_1/cancel", {"cancelReason": "1kg 상함", "cancelAmount": 13_000})
    assert toss.payments["pk_1"]["status"] == "CANCELED" and toss.payments["pk_1"]["balanceAmount"] == 0
    assert first.pg_fee_returned + second.pg_fee_returned == 975
    assert _payable() == 0
    assert ledger_audit()["ok"]
    # a replayed refund moves nothing and doesn't call Toss again
    calls = len(toss.requests)
    again = services.refund(
        actor=shop_staff, payment_id=payment.public_id, amount=13_000, reason="1kg 상함", idempotency_key="r1"
    )
    assert again.pk == first.pk and len(toss.requests) == calls


def test_a_cancel_toss_refuses_books_nothing_and_frees_the_amount(alice, shop_staff, toss):
    payment = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(payment.public_id), amount=39_000)
    services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    toss.payments["pk_1"]["balanceAmount"] = 0  # e.g. cancelled in Toss's console meanwhile
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.refund(
            actor=shop_staff, payment_id=payment.public_id, amount=39_000, reason="반품", idempotency_key="r1"
        )
    assert caught.value.code == "pg_declined"
    assert money_snapshot() == before
    assert Payment.objects.get(pk=payment.pk).refunded == 0  # the reservation was given back


def test_a_reserved_card_refund_blocks_a_second_one(alice, shop_staff, toss, monkeypatch):
    """While one refund's cancel is at Toss, a second refund can't claim the same won."""
    payment = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(payment.public_id), amount=39_000)
    services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    from sangsaeng.payments import toss as adapter

    real_cancel = adapter.cancel
    seen: list[str] = []

    def cancel_with_a_second_refund_in_flight(**kwargs):
        with pytest.raises(Problem) as caught:
            services.refund(
                actor=shop_staff, payment_id=payment.public_id, amount=20_000, reason="중복", idempotency_key="r2"
            )
        seen.append(caught.value.code)
        return real_cancel(**kwargs)

    monkeypatch.setattr(adapter, "cancel", cancel_with_a_second_refund_in_flight)
    services.refund(actor=shop_staff, payment_id=payment.public_id, amount=30_000, reason="반품", idempotency_key="r1")
    assert seen == ["refund_exceeds_paid"]
    assert Payment.objects.get(pk=payment.pk).refunded == 30_000
    assert toss.payments["pk_1"]["balanceAmount"] == 9_000
    assert ledger_audit()["ok"]


@pytest.mark.parametrize("status", [500, 503])
def test_a_toss_outage_is_a_502_problem_and_the_payment_stays_pending(alice, toss, status):
    payment = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(payment.public_id), amount=39_000)
    toss.fail_next(status)
    before = money_snapshot()
    with pytest.raises(Problem) as caught:
        services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    assert (caught.value.code, caught.value.status, caught.value.headers) == (
        "pg_unavailable",
        502,
        {"Retry-After": "5"},
    )
    assert money_snapshot() == before
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    # the same confirm again, once Toss is back, approves it (the Idempotency-Key is the same)
    services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    assert Payment.objects.get(pk=payment.pk).status == "paid"


def test_an_unreachable_toss_is_a_502_problem(alice, toss, settings):
    payment = _pending(alice)
    toss.stop()
    with pytest.raises(Problem) as caught:
        services.payment_confirm_card(actor=alice, order_id=payment.public_id, payment_key="pk_1", amount=39_000)
    assert caught.value.code == "pg_unavailable"
    assert Payment.objects.get(pk=payment.pk).status == "pending"


def test_every_capture_announces_payment_paid_in_its_transaction(alice, funded_alice, toss):
    from sangsaeng.core.models import OutboxEvent

    card = _pending(alice)
    toss.authorise(payment_key="pk_1", order_id=str(card.public_id), amount=39_000)
    services.payment_confirm_card(actor=alice, order_id=card.public_id, payment_key="pk_1", amount=39_000)
    wallet = services.payment_create(
        payer=alice, payee_ref=SHOP, amount=5_000, method="wallet", purpose="귤", order_ref="o-2", idempotency_key="w"
    )
    events = [e.payload for e in OutboxEvent.objects.filter(name=services.PAYMENT_PAID).order_by("id")]
    assert events == [
        {
            "payment_id": str(card.public_id),
            "payer_id": str(alice.public_id),
            "payee_ref": SHOP,
            "order_ref": "order-1",
            "amount": 39_000,
            "method": "card",
        },
        {
            "payment_id": str(wallet.public_id),
            "payer_id": str(alice.public_id),
            "payee_ref": SHOP,
            "order_ref": "o-2",
            "amount": 5_000,
            "method": "wallet",
        },
    ]
    # a refused confirm announces nothing
    with pytest.raises(Problem):
        services.payment_confirm_card(actor=alice, order_id=card.public_id, payment_key="pk_1", amount=39_000)
    assert OutboxEvent.objects.filter(name=services.PAYMENT_PAID).count() == 2
