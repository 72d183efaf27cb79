"""The pages: storefront, product, cart, one-tap checkout, my orders, and the partner's store admin."""

from __future__ import annotations

import pytest
from django.test import Client

from sangsaeng.commerce import services
from sangsaeng.commerce.models import Order, Product
from sangsaeng.commerce.tests.conftest import FUNDS, balance, buy, jpeg
from sangsaeng.core.models import OutboxEvent


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_anyone_sees_the_storefront_and_product_page(product, store):
    client = _client()
    front = client.get(f"/store/{store.handle}/")
    page = client.get(f"/store/{store.handle}/p/{product.public_id}/")
    assert front.status_code == 200 and "제주 유기농 녹차" in front.content.decode()
    assert page.status_code == 200 and "12,000원" in page.content.decode()
    viewed = OutboxEvent.objects.get(name="commerce.product_viewed")
    assert viewed.payload["channel_id"] == str(store.channel_id) and viewed.payload["session_id"]
    assert viewed.payload["user_id"] is None


def test_draft_products_are_not_shown(alice, store, product):
    services.product_update(actor=alice, product_id=product.public_id, data={"status": "draft"})
    assert _client().get(f"/store/{store.handle}/p/{product.public_id}/").status_code == 404
    assert "제주 유기농 녹차" not in _client().get(f"/store/{store.handle}/").content.decode()


def test_add_to_cart_then_one_tap_checkout_in_the_browser(buyer, store, product, variant):
    client = _client(buyer)
    added = client.post(
        f"/store/{store.handle}/p/{product.public_id}/", {"variant": str(variant.public_id), "quantity": "2"}
    )
    assert added.status_code == 302
    assert "제주 유기농 녹차" in client.get("/store/cart/").content.decode()
    page = client.get(f"/store/{store.handle}/checkout/")
    assert page.status_code == 200 and "04524" in page.content.decode() and "24,000원" in page.content.decode()
    paid = client.post(
        f"/store/{store.handle}/checkout/",
        {"checkout_key": "page-1", "payment_method": "wallet", "expected_total": "24000"},
    )
    order = Order.objects.get()
    assert paid.status_code == 302 and paid["Location"] == f"/store/orders/{order.public_id}/"
    assert order.status == "paid" and balance(buyer) == FUNDS - 24_000
    # pressing pay again (the same form) does not charge twice
    client.post(
        f"/store/{store.handle}/checkout/",
        {"checkout_key": "page-1", "payment_method": "wallet", "expected_total": "24000"},
    )
    assert Order.objects.count() == 1
    assert order.number in client.get("/store/orders/").content.decode()
    assert client.get(f"/store/orders/{order.public_id}/").status_code == 200


def test_another_users_order_cart_and_store_admin_pages_are_404(buyer, charlie, alice, store, product, variant):
    order = buy(buyer, store, variant)
    line = services.cart_add(user=buyer, variant_id=variant.public_id, quantity=1)
    other = _client(charlie)
    for path in (
        f"/store/orders/{order.public_id}/",
        f"/store/admin/{store.public_id}/",
        f"/store/admin/{store.public_id}/orders/",
        f"/store/admin/{store.public_id}/coupons/",
        f"/store/admin/{store.public_id}/orders.csv",
        f"/store/admin/{store.public_id}/orders/{order.public_id}/",
        f"/store/admin/{store.public_id}/products/{product.public_id}/",
    ):
        assert other.get(path).status_code == 404, path
    for path, data in (
        (f"/store/orders/{order.public_id}/action", {"action": "cancel"}),
        (f"/store/cart/{line.public_id}/", {"quantity": "9"}),
        (
            f"/store/admin/{store.public_id}/orders/{order.public_id}/",
            {"action": "ship", "courier": "x", "tracking_number": "1"},
        ),
        (f"/store/admin/{store.public_id}/", {"title": "침입", "price": "1", "stock": "1", "sku": "X"}),
    ):
        assert other.post(path, data).status_code == 404, path
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == "paid" and line.quantity == 1 and Product.objects.count() == 1


def test_the_partner_runs_the_store_from_the_admin_pages(alice, buyer, channel, variant, store):
    client = _client(alice)
    assert client.get("/store/admin/").status_code in (200, 302)
    created = client.post(
        f"/store/admin/{store.public_id}/",
        {
            "title": "한라봉 3kg",
            "description": "선물용",
            "price": "32000",
            "stock": "5",
            "sku": "HALLA-3",
            "status": "public",
            "shipping_rule": "free",
            "image": _photo(),
        },
    )
    product = Product.objects.get(title="한라봉 3kg")
    assert created.status_code == 302 and product.images.count() == 1
    assert (
        client.post(
            f"/store/admin/{store.public_id}/coupons/", {"code": "HELLO", "kind": "fixed", "value": "2000"}
        ).status_code
        == 302
    )
    assert store.coupons.get().code == "HELLO"
    order = buy(buyer, store, variant)
    inbox = client.get(f"/store/admin/{store.public_id}/orders/")
    assert inbox.status_code == 200 and order.number in inbox.content.decode()
    client.post(f"/store/admin/{store.public_id}/orders/", {"action": "prepare", "order": [str(order.public_id)]})
    client.post(
        f"/store/admin/{store.public_id}/orders/", {"action": "ship_csv", "csv_text": f"{order.number},CJ대한통운,6123"}
    )
    order.refresh_from_db()
    assert order.status == "shipped" and order.tracking_number == "6123"
    exported = client.get(f"/store/admin/{store.public_id}/orders.csv")
    assert exported.status_code == 200 and order.number in exported.content.decode()
    client.post(f"/store/admin/{store.public_id}/orders/{order.public_id}/", {"action": "deliver"})
    order.refresh_from_db()
    assert order.status == "delivered"


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("halla.jpg", jpeg("orange"), content_type="image/jpeg")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_pages_speak_both_languages(buyer, store, product, lang):
    client = _client(buyer)
    client.cookies["django_language"] = lang
    page = client.get(f"/store/{store.handle}/p/{product.public_id}/").content.decode()
    assert ("장바구니 담기" in page) == (lang == "ko") and ("Add to cart" in page) == (lang == "en")
