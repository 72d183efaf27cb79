"""One-tap checkout: default address and Pay; stock, coupons and the ledger move together or not at all."""

from __future__ import annotations

import pytest

from sangsaeng.commerce import services
from sangsaeng.commerce.models import Coupon, Order, StockReservation, Variant
from sangsaeng.commerce.tests.conftest import FUNDS, audit, balance, buy
from sangsaeng.core.errors import Problem


def test_a_signed_in_buyer_pays_in_one_tap(buyer, store, variant, chat, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        order = buy(buyer, store, variant, quantity=2)
    # then
    assert order.status == Order.Status.PAID
    assert order.total == 24_000 and order.address["zone_number"] == "04524"
    variant.refresh_from_db()
    assert variant.stock == 8
    assert balance(buyer) == FUNDS - 24_000
    assert StockReservation.objects.get(order=order).state == StockReservation.State.CONSUMED
    assert audit()["ok"] is True
    assert chat and chat[-1]["customer"] == buyer and order.number in chat[-1]["text"]


def test_a_double_submission_charges_once(buyer, store, variant):
    first = buy(buyer, store, variant, key="same")
    second = buy(buyer, store, variant, key="same")
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    assert balance(buyer) == FUNDS - 12_000
    variant.refresh_from_db()
    assert variant.stock == 9


def _unchanged(buyer, variant, stock=10):
    variant.refresh_from_db()
    assert variant.stock == stock
    assert balance(buyer) == FUNDS
    assert not Order.objects.filter(status=Order.Status.PAID).exists()
    assert audit()["ok"] is True


def test_a_stale_price_is_refused_with_the_changes(buyer, alice, store, variant):
    services.cart_add(user=buyer, variant_id=variant.public_id, quantity=1)
    services.variant_update(actor=alice, variant_id=variant.public_id, data={"price": 15_000})
    with pytest.raises(Problem) as refused:
        services.checkout(buyer=buyer, store=store, idempotency_key="k")
    assert refused.value.code == "cart_stale"
    assert refused.value.extra["changes"] == [{"variant_id": str(variant.public_id), "was": 12_000, "now": 15_000}]
    _unchanged(buyer, variant)
    # the cart now shows the new price, so paying again is a conscious choice
    assert services.checkout(buyer=buyer, store=store, idempotency_key="k2").total == 15_000


def test_a_stale_stock_is_refused(buyer, alice, store, variant):
    services.cart_add(user=buyer, variant_id=variant.public_id, quantity=5)
    services.variant_update(actor=alice, variant_id=variant.public_id, data={"stock": 2})
    with pytest.raises(Problem) as refused:
        services.checkout(buyer=buyer, store=store, idempotency_key="k")
    assert refused.value.code == "cart_stale"
    _unchanged(buyer, variant, stock=2)


def test_an_unknown_variant_is_refused(buyer, store, variant):
    with pytest.raises(Problem) as refused:
        services.checkout(
            buyer=buyer,
            store=store,
            idempotency_key="k",
            lines=[{"variant_id": "00000000-0000-0000-0000-000000000000", "quantity": 1}],
        )
    assert refused.value.code == "unknown_variant" and refused.value.status == 404
    _unchanged(buyer, variant)


@pytest.mark.parametrize("quantity", [0, -1, 100, 10**9, 1.5, "2", True])
def test_absurd_quantities_are_refused(buyer, store, variant, quantity):
    with pytest.raises(Problem) as refused:
        buy(buyer, store, variant, quantity=quantity)
    assert refused.value.code == "invalid_quantity"
    _unchanged(buyer, variant)


@pytest.mark.parametrize("zone", ["", "1234", "123456", "abcde"])
def test_an_address_without_a_5_digit_postcode_is_refused(buyer, store, variant, zone):
    address = {
        "zone_number": zone,
        "base_address": "서울 중구 세종대로 110",
        "receiver_name": "밥",
        "receiver_phone_number1": "010-1234-5678",
    }
    with pytest.raises(Problem) as refused:
        buy(buyer, store, variant, address=address)
    assert refused.value.code == "invalid_address" and refused.value.field == "address.zone_number"
    _unchanged(buyer, variant)


def test_no_default_address_means_no_one_tap(bob, store, variant):
    with pytest.raises(Problem) as refused:
        buy(bob, store, variant)
    assert refused.value.code == "address_required"


def test_insufficient_funds_returns_the_stock(charlie, store, variant):
    from sangsaeng.accounts.services import address_create
    from sangsaeng.commerce.tests.conftest import ADDRESS, fund

    address_create(user=charlie, data=ADDRESS, is_default=True)
    fund(charlie, amount=5_000)
    with pytest.raises(Problem) as refused:
        buy(charlie, store, variant)
    assert refused.value.code == "insufficient_funds"
    variant.refresh_from_db()
    assert variant.stock == 10
    assert Order.objects.get().status == Order.Status.CANCELLED
    assert balance(charlie) == 5_000 and audit()["ok"] is True


def test_an_out_of_stock_variant_is_refused(buyer, store, variant):
    Variant.objects.filter(pk=variant.pk).update(stock=0)
    with pytest.raises(Problem) as refused:
        buy(buyer, store, variant)
    assert refused.value.code == "cart_stale"
    _unchanged(buyer, variant, stock=0)


def test_coupons_apply_with_their_rules(buyer, alice, store, variant):
    services.coupon_create(
        actor=alice, store_id=store.public_id, code="WELCOME", kind="fixed", value=3_000, min_order=20_000, max_uses=1
    )
    services.coupon_create(actor=alice, store_id=store.public_id, code="TEN", kind="percent", value=10)
    # below the minimum order
    with pytest.raises(Problem) as refused:
        buy(buyer, store, variant, quantity=1, coupon_code="welcome")
    assert refused.value.code == "coupon_min_order"
    order = buy(buyer, store, variant, quantity=2, key="k2", coupon_code="welcome")
    assert (order.subtotal, order.discount, order.total) == (24_000, 3_000, 21_000)
    assert Coupon.objects.get(code="WELCOME").used_count == 1
    with pytest.raises(Problem) as refused:
        buy(buyer, store, variant, quantity=2, key="k3", coupon_code="WELCOME")
    assert refused.value.code in ("coupon_exhausted", "coupon_used")
    assert buy(buyer, store, variant, quantity=1, key="k4", coupon_code="TEN").total == 10_800


def test_an_expired_coupon_is_refused(buyer, alice, store, variant):
    from datetime import timedelta

    from django.utils import timezone

    services.coupon_create(
        actor=alice,
        store_id=store.public_id,
        code="OLD",
        kind="fixed",
        value=1_000,
        expires_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(Problem) as refused:
        buy(buyer, store, variant, coupon_code="OLD")
    assert refused.value.code == "coupon_invalid"
    _unchanged(buyer, variant)


def test_shipping_rules(buyer, alice, store):
    flat = services.product_create(
        actor=alice,
        store_id=store.public_id,
        data={
            "title": "한라봉",
            "status": "public",
            "shipping_rule": "free_over",
            "shipping_fee": 3_000,
            "free_over": 30_000,
            "variants": [{"sku": "HALLA", "price": 10_000, "stock": 10}],
        },
    )
    v = flat.variants.get()
    quote = services.checkout_quote(buyer=buyer, store=store, lines=[{"variant_id": str(v.public_id), "quantity": 2}])
    assert (quote.shipping_fee, quote.total) == (3_000, 23_000)
    quote = services.checkout_quote(buyer=buyer, store=store, lines=[{"variant_id": str(v.public_id), "quantity": 3}])
    assert (quote.shipping_fee, quote.total) == (0, 30_000)


def test_expired_reservations_go_back_to_the_shelf(buyer, store, variant):
    from datetime import timedelta

    from django.utils import timezone

    from sangsaeng.commerce.checkout import _reserve, checkout_quote

    quote = checkout_quote(buyer=buyer, store=store, lines=[{"variant_id": str(variant.public_id), "quantity": 3}])
    order = _reserve(
        buyer=buyer, store=store, quote=quote, address={}, method="card", idempotency_key="card", session_key=None
    )
    variant.refresh_from_db()
    assert variant.stock == 7
    assert services.reservations_sweep() == 0  # not yet expired
    StockReservation.objects.filter(order=order).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.reservations_sweep() == 1
    variant.refresh_from_db()
    order.refresh_from_db()
    assert variant.stock == 10 and order.status == Order.Status.EXPIRED
    assert services.reservations_sweep() == 0
