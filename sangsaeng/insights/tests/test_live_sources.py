"""The dashboard from real sources: a channel's staff, its store's orders, its follows.

Orders are placed, paid and partly refunded through commerce; the outbox hands their events to
insights; after compaction every figure equals what the commerce order rows say.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from sangsaeng.commerce import services as commerce
from sangsaeng.commerce.models import Order
from sangsaeng.commerce.tests.conftest import ADDRESS, buy, fund
from sangsaeng.core.errors import Problem
from sangsaeng.insights import compaction, selectors
from sangsaeng.insights.bridge import ref_for
from sangsaeng.insights.engine import Range
from sangsaeng.insights.services import KST
from sangsaeng.partners import services as partners

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quiet_chat(monkeypatch):
    monkeypatch.setattr(partners, "channel_message_customer", lambda **kwargs: None)


@pytest.fixture
def shop(alice):
    channel = partners.channel_create(owner=alice, name="상생마켓", handle="sangsaeng-market")
    store = commerce.store_open(actor=alice, channel_id=channel.public_id)
    products = [
        commerce.product_create(
            actor=alice,
            store_id=store.public_id,
            data={"title": title, "status": "public", "variants": [{"sku": sku, "price": price, "stock": 50}]},
        )
        for title, sku, price in (("제주 한라봉 3kg", "HB-3", 32_000), ("유기농 녹차", "TEA-1", 12_000))
    ]
    return channel, store, [p.variants.get() for p in products]


def test_dashboard_equals_the_order_rows(alice, bob, django_user_model, shop, django_capture_on_commit_callbacks):
    from sangsaeng.accounts.services import address_create

    channel, store, (hallabong, tea) = shop
    carol = django_user_model.objects.create_user(email="carol@example.com", password="x-Very-Long-pass-1")
    with django_capture_on_commit_callbacks(execute=True):
        for user, key in ((bob, "b"), (carol, "c")):
            address_create(user=user, data=ADDRESS, is_default=True)
            fund(user, key=f"fund-{key}")
            partners.channel_follow(user=user, channel_id=channel.public_id)
        first = buy(bob, store, hallabong, quantity=2, key="o1")
        buy(bob, store, tea, quantity=1, key="o2")
        buy(carol, store, tea, quantity=3, key="o3")
        commerce.order_refund_partial(actor=alice, order_id=first.public_id, amount=5_000, reason="흠집", key="r1")
        partners.channel_unfollow(user=carol, channel_id=channel.public_id)
    compaction.compact()

    today = timezone.now().astimezone(KST).date()
    got = selectors.dashboard(actor=alice, ref=ref_for(channel.public_id), r=Range(today, today))

    orders = list(Order.objects.filter(store=store, paid_at__isnull=False).prefetch_related("lines"))
    gross = sum(line.unit_price * line.quantity for o in orders for line in o.lines.all())
    discounts = sum(o.discount for o in orders)
    shipping = sum(o.shipping_fee for o in orders)
    refunds = sum(o.refunded_amount for o in orders)
    assert len(orders) == 3 and refunds == 5_000
    assert got["summary"] == {
        "gross": gross,
        "discounts": discounts,
        "returns": refunds,
        "shipping": shipping,
        "total_sales": gross - discounts - refunds + shipping,
        "orders": 3,
        "average_order_value": round((gross - discounts) / 3),
    }
    assert {p["title"]: p["quantity"] for p in got["top_products"]} == {"제주 한라봉 3kg": 2, "유기농 녹차": 4}
    assert got["followers"][-1]["followers"] == 1  # two followed, one left
    assert got["returning"] == {"customers": 2, "returning": 0, "rate": 0.0}
    # bob's two orders and carol's one are two signed-in sessions on the day; each paid
    assert [s["sessions"] for s in got["funnel"]][-1] == 2

    # bob is a customer, not staff: the channel's data is not his to see
    with pytest.raises(Problem) as refused:
        selectors.dashboard(actor=bob, ref=ref_for(channel.public_id), r=Range(today, today))
    assert refused.value.status == 404
