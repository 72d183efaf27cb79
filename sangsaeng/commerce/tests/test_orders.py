"""After payment: preparing, shipping, delivery, confirmation; cancels, returns and partial refunds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sangsaeng.commerce import services
from sangsaeng.commerce.models import Order, ReturnRequest
from sangsaeng.commerce.tests.conftest import FUNDS, audit, balance, buy
from sangsaeng.core.errors import Problem

S = Order.Status


@pytest.fixture
def order(buyer, store, variant):
    return buy(buyer, store, variant, quantity=2)


def test_the_partner_ships_and_the_buyer_confirms(alice, buyer, order, chat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_prepare(actor=alice, order_id=order.public_id)
        shipped = services.order_ship(
            actor=alice, order_id=order.public_id, courier="CJ대한통운", tracking_number="612345678901"
        )
        services.order_deliver(actor=alice, order_id=order.public_id)
        confirmed = services.order_confirm(actor=buyer, order_id=order.public_id)
    assert shipped.tracking_number == "612345678901"
    assert confirmed.status == S.CONFIRMED and confirmed.confirmed_at is not None
    texts = [m["text"] for m in chat]
    assert any("612345678901" in t for t in texts) and any("구매가 확정" in t for t in texts)


def test_delivered_orders_confirm_themselves_after_the_waiting_period(alice, order, store):
    services.order_ship(actor=alice, order_id=order.public_id, courier="한진택배", tracking_number="1234")
    services.order_deliver(actor=alice, order_id=order.public_id)
    assert services.orders_auto_confirm() == 0
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=store.auto_confirm_days))
    assert services.orders_auto_confirm() == 1
    order.refresh_from_db()
    assert order.status == S.CONFIRMED


def test_cancelling_before_shipping_refunds_and_restocks(buyer, order, variant):
    cancelled = services.order_cancel(actor=buyer, order_id=order.public_id, reason="마음이 바뀌었어요")
    assert cancelled.status == S.CANCELLED and cancelled.refunded_amount == 24_000
    variant.refresh_from_db()
    assert variant.stock == 10
    assert balance(buyer) == FUNDS
    assert audit()["ok"] is True


def test_a_shipped_order_cannot_be_cancelled(alice, buyer, order, variant):
    services.order_ship(actor=alice, order_id=order.public_id, courier="CJ대한통운", tracking_number="99")
    with pytest.raises(Problem) as refused:
        services.order_cancel(actor=buyer, order_id=order.public_id)
    assert refused.value.code == "invalid_order_state"
    variant.refresh_from_db()
    assert variant.stock == 8 and balance(buyer) == FUNDS - 24_000


def test_a_partial_return_refunds_only_that_amount(alice, buyer, order):
    services.order_ship(actor=alice, order_id=order.public_id, courier="CJ대한통운", tracking_number="99")
    services.order_deliver(actor=alice, order_id=order.public_id)
    request = services.return_request(
        actor=buyer, order_id=order.public_id, reason="defective", detail="한 봉지가 터져서 왔어요", amount=12_000
    )
    decided = services.return_decide(actor=alice, return_id=request.public_id, approve=True)
    assert decided.status == ReturnRequest.Status.APPROVED
    order.refresh_from_db()
    assert order.refunded_amount == 12_000 and order.status == S.DELIVERED
    assert balance(buyer) == FUNDS - 12_000
    # deciding twice moves nothing
    with pytest.raises(Problem) as refused:
        services.return_decide(actor=alice, return_id=request.public_id, approve=True)
    assert refused.value.code == "return_decided"
    assert balance(buyer) == FUNDS - 12_000
    # the rest, then the order is fully refunded
    rest = services.return_request(actor=buyer, order_id=order.public_id, reason="changed_mind")
    assert rest.amount == 12_000
    services.return_decide(actor=alice, return_id=rest.public_id, approve=True)
    order.refresh_from_db()
    assert order.status == S.REFUNDED and balance(buyer) == FUNDS
    assert audit()["ok"] is True


def test_a_return_over_what_was_paid_is_refused(alice, buyer, order):
    services.order_ship(actor=alice, order_id=order.public_id, courier="CJ대한통운", tracking_number="99")
    with pytest.raises(Problem) as refused:
        services.return_request(actor=buyer, order_id=order.public_id, reason="defective", amount=24_001)
    assert refused.value.code == "refund_exceeds_paid"
    with pytest.raises(Problem) as refused:
        services.return_request(actor=buyer, order_id=order.public_id, reason="because")
    assert refused.value.code == "invalid_field"
    assert not ReturnRequest.objects.exists()


def test_the_partner_refunds_part_of_an_order_once_per_key(alice, buyer, order):
    services.order_refund_partial(actor=alice, order_id=order.public_id, amount=2_000, reason="구성품 누락", key="r1")
    services.order_refund_partial(actor=alice, order_id=order.public_id, amount=2_000, reason="구성품 누락", key="r1")
    order.refresh_from_db()
    assert balance(buyer) == FUNDS - 22_000
    assert order.refunded_amount == 2_000 and order.refunds.count() == 1
    assert audit()["ok"] is True


@pytest.mark.parametrize("amount", [-1, 0, 24_001, 10**12])
def test_absurd_partial_refunds_move_nothing(alice, buyer, order, amount):
    with pytest.raises(Problem):
        services.order_refund_partial(actor=alice, order_id=order.public_id, amount=amount, reason="x", key="r")
    order.refresh_from_db()
    assert order.refunded_amount == 0 and balance(buyer) == FUNDS - 24_000


def test_bulk_actions_and_csv(alice, buyer, store, variant):
    orders = [buy(buyer, store, variant, key=f"k{i}") for i in range(3)]
    result = services.orders_bulk_prepare(
        actor=alice, store_id=store.public_id, order_ids=[o.public_id for o in orders[:2]]
    )
    assert list(result.values()) == ["preparing", "preparing"]
    csv_text = "주문번호,택배사,송장번호\n" + "\n".join(
        f"{o.number},CJ대한통운,61234567{i}" for i, o in enumerate(orders)
    )
    csv_text += "\nNOPE,CJ대한통운,1\n"
    rows = services.orders_bulk_ship_csv(actor=alice, store_id=store.public_id, text=csv_text)
    assert [r["result"] for r in rows] == ["shipped", "shipped", "shipped", "not_found"]
    assert set(Order.objects.values_list("status", flat=True)) == {S.SHIPPED}
    exported = services.orders_csv(actor=alice, store_id=store.public_id)
    assert exported.startswith("\ufeff주문번호") and all(o.number in exported for o in orders)
    assert "04524" in exported


def test_another_user_gets_404_and_nothing_changes(bob, charlie, alice, order, store, variant):
    for call in (
        lambda: services.order_cancel(actor=charlie, order_id=order.public_id),
        lambda: services.order_confirm(actor=charlie, order_id=order.public_id),
        lambda: services.order_prepare(actor=bob, order_id=order.public_id),
        lambda: services.order_ship(actor=charlie, order_id=order.public_id, courier="x", tracking_number="1"),
        lambda: services.order_refund_partial(actor=bob, order_id=order.public_id, amount=1, reason="x", key="k"),
        lambda: services.orders_csv(actor=charlie, store_id=store.public_id),
        lambda: services.orders_bulk_prepare(actor=bob, store_id=store.public_id, order_ids=[order.public_id]),
        lambda: services.variant_update(actor=bob, variant_id=variant.public_id, data={"stock": 0}),
        lambda: services.product_update(actor=charlie, product_id=variant.product.public_id, data={"title": "x"}),
        lambda: services.coupon_create(actor=bob, store_id=store.public_id, code="HACK", kind="fixed", value=1),
        lambda: services.store_update(actor=charlie, store_id=store.public_id, data={"name": "x"}),
    ):
        with pytest.raises(Problem) as refused:
            call()
        assert refused.value.status == 404
    order.refresh_from_db()
    variant.refresh_from_db()
    assert order.status == S.PAID and order.refunded_amount == 0 and variant.stock == 8
    assert variant.product.title == "제주 유기농 녹차" and not store.coupons.exists()


def test_reviews_only_from_verified_buyers_once_per_line(alice, buyer, charlie, order):
    line = order.lines.get()
    with pytest.raises(Problem) as refused:
        services.review_create(actor=buyer, line_id=line.public_id, rating=5)
    assert refused.value.code == "review_not_allowed"
    services.order_ship(actor=alice, order_id=order.public_id, courier="CJ대한통운", tracking_number="99")
    services.order_deliver(actor=alice, order_id=order.public_id)
    with pytest.raises(Problem) as refused:
        services.review_create(actor=charlie, line_id=line.public_id, rating=5)
    assert refused.value.status == 404
    for rating in (0, 6, "5"):
        with pytest.raises(Problem):
            services.review_create(actor=buyer, line_id=line.public_id, rating=rating)
    review = services.review_create(actor=buyer, line_id=line.public_id, rating=5, body="향이 좋아요")
    assert review.rating == 5
    with pytest.raises(Problem) as refused:
        services.review_create(actor=buyer, line_id=line.public_id, rating=4)
    assert refused.value.code == "review_exists"


def test_without_the_authenticity_app_delivery_hands_over_nothing(alice, buyer, store, monkeypatch):
    from django.apps import apps

    from sangsaeng.commerce import passports

    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "sangsaeng.authenticity" and installed(name))

    assert (
        passports.passports_transfer(
            {
                "buyer_id": str(buyer.public_id),
                "order_number": "x",
                "authenticity_lines": [{"brand": "onggi", "serials": ["A"], "line_id": "l"}],
            }
        )
        is None
    )
