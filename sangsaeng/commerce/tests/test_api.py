"""/api/v1/commerce: success, bad input, another user's objects, idempotency and a replayed PG callback."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from sangsaeng.accounts.services import token_create
from sangsaeng.commerce.models import Order, Product, Store, Variant
from sangsaeng.commerce.tests.conftest import FUNDS, audit, balance, jpeg

API = "/api/v1/commerce"


def _api(user):
    from conftest import ApiClient

    _token, secret = token_create(user=user, label="test")
    return ApiClient(secret)


@pytest.fixture
def api_buyer(buyer):
    return _api(buyer)


@pytest.fixture
def api_owner(alice):
    return _api(alice)


def test_a_partner_opens_a_store_and_lists_a_product_with_a_photo(api_owner, channel, anon_api):
    # when
    opened = api_owner.post(f"{API}/stores", {"channel_id": str(channel.public_id)})
    store_id = opened.json()["id"]
    created = api_owner.post(
        f"{API}/stores/{store_id}/products",
        {
            "title": "제주 유기농 녹차",
            "status": "public",
            "options": [{"name": "용량", "values": ["50g", "100g"]}],
            "variants": [
                {"sku": "TEA-50", "option_values": {"용량": "50g"}, "price": 7_000, "stock": 5},
                {"sku": "TEA-100", "option_values": {"용량": "100g"}, "price": 12_000, "stock": 5},
            ],
            "shipping_rule": "flat",
            "shipping_fee": 3_000,
        },
    )
    product_id = created.json()["id"]
    photo = api_owner.post(f"{API}/products/{product_id}/images", {"image": _upload()}, content_type=MULTIPART_CONTENT)
    # then
    assert opened.status_code == 201 and opened.json()["platform_fee_percent"] == 0
    assert created.status_code == 201, created.json()
    assert photo.status_code == 201 and len(photo.json()["images"]) == 1
    image = Client().get(photo.json()["images"][0])
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    listing = anon_api.get(f"{API}/storefront/sangsaeng-market/products").json()
    assert [p["title"] for p in listing] == ["제주 유기농 녹차"]
    assert {v["sku"] for v in listing[0]["variants"]} == {"TEA-50", "TEA-100"}


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("tea.jpg", jpeg(), content_type="image/jpeg")


@pytest.mark.parametrize("price", [-1, 0, 100_000_001, 10**15, 12.5, "만원"])
def test_absurd_prices_are_refused(api_owner, store, price):
    response = api_owner.post(
        f"{API}/stores/{store.public_id}/products",
        {"title": "이상한 가격", "variants": [{"sku": "X1", "price": price, "stock": 1}]},
    )
    assert response.status_code == 422
    assert response.json()["code"] in ("invalid_price", "invalid_field")
    assert not Product.objects.exists()


@pytest.mark.parametrize("stock", [-1, 10**7])
def test_absurd_stock_is_refused(api_owner, store, stock):
    response = api_owner.post(
        f"{API}/stores/{store.public_id}/products",
        {"title": "재고", "variants": [{"sku": "X1", "price": 1000, "stock": stock}]},
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_stock"
    assert not Product.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(api_owner, product):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api_owner.post(
        f"{API}/products/{product.public_id}/images",
        {"image": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")},
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_image"
    assert not product.images.exists()


def test_one_tap_checkout_over_http_and_a_double_submission(api_buyer, buyer, product, variant):
    body = {"lines": [{"variant_id": str(variant.public_id), "quantity": 1, "unit_price": 12_000}]}
    first = api_buyer.post(f"{API}/storefront/sangsaeng-market/checkout", body, headers={"Idempotency-Key": "tap-1"})
    again = api_buyer.post(f"{API}/storefront/sangsaeng-market/checkout", body, headers={"Idempotency-Key": "tap-1"})
    assert first.status_code == 201 and first.json()["status"] == "paid"
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1 and balance(buyer) == FUNDS - 12_000


def test_checkout_without_an_idempotency_key_is_refused(api_buyer, buyer, variant):
    response = api_buyer.post(
        f"{API}/storefront/sangsaeng-market/checkout",
        {"lines": [{"variant_id": str(variant.public_id), "quantity": 1}]},
    )
    assert response.status_code == 400 and response.json()["code"] == "idempotency_key_required"
    assert not Order.objects.exists()


def test_a_stale_price_over_http_is_a_clear_409(api_buyer, buyer, variant):
    response = api_buyer.post(
        f"{API}/storefront/sangsaeng-market/checkout",
        {"lines": [{"variant_id": str(variant.public_id), "quantity": 1, "unit_price": 9_000}]},
        headers={"Idempotency-Key": "stale"},
    )
    assert response.status_code == 409 and response.json()["code"] == "cart_stale"
    assert response.json()["changes"][0]["now"] == 12_000
    assert balance(buyer) == FUNDS and Variant.objects.get(pk=variant.pk).stock == 10


def test_an_unparseable_address_over_http(api_buyer, buyer, variant):
    before = audit()
    response = api_buyer.post(
        f"{API}/storefront/sangsaeng-market/checkout",
        {
            "lines": [{"variant_id": str(variant.public_id), "quantity": 1}],
            "address": {
                "zone_number": "0452",
                "base_address": "서울 중구",
                "receiver_name": "밥",
                "receiver_phone_number1": "010-1234-5678",
            },
        },
        headers={"Idempotency-Key": "addr"},
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_address"
    assert response.json()["field"] == "address.zone_number"
    assert audit() == before and not Order.objects.exists()


def test_a_replayed_pg_callback_moves_no_money(api_buyer, buyer, variant):
    order = api_buyer.post(
        f"{API}/storefront/sangsaeng-market/checkout",
        {"lines": [{"variant_id": str(variant.public_id), "quantity": 1}], "payment_method": "test"},
        headers={"Idempotency-Key": "t"},
    ).json()
    assert order["status"] == "paid"
    before = audit()
    replay = api_buyer.post(
        f"{API}/orders/{order['id']}/payment/confirm", {"payment_key": "tgen_replayed", "amount": order["total"]}
    )
    assert replay.status_code == 409 and replay.json()["code"] == "payment_already_confirmed"
    assert audit() == before


def test_another_users_order_cart_and_store_admin_are_404(api_buyer, api_bob_other, api_owner, buyer, store, variant):
    order = api_buyer.post(
        f"{API}/storefront/sangsaeng-market/checkout",
        {"lines": [{"variant_id": str(variant.public_id), "quantity": 1}]},
        headers={"Idempotency-Key": "o"},
    ).json()
    cart = api_buyer.post(f"{API}/cart/lines", {"variant_id": str(variant.public_id), "quantity": 2}).json()
    line_id = cart["lines"][0]["id"]
    before = audit()
    for method, path, body in (
        ("get", f"{API}/orders/{order['id']}", None),
        ("post", f"{API}/orders/{order['id']}/cancel", {}),
        ("post", f"{API}/orders/{order['id']}/confirm", None),
        ("post", f"{API}/orders/{order['id']}/returns", {"reason": "defective"}),
        ("post", f"{API}/orders/{order['id']}/ship", {"courier": "CJ대한통운", "tracking_number": "1"}),
        ("post", f"{API}/orders/{order['id']}/refund", {"amount": 1000, "reason": "x"}),
        ("patch", f"{API}/cart/lines/{line_id}", {"quantity": 5}),
        ("delete", f"{API}/cart/lines/{line_id}", None),
        ("get", f"{API}/stores/{store.public_id}/orders", None),
        ("get", f"{API}/stores/{store.public_id}/orders.csv", None),
        ("get", f"{API}/stores/{store.public_id}/admin/products", None),
        ("patch", f"{API}/variants/{variant.public_id}", {"stock": 0}),
        ("post", f"{API}/stores/{store.public_id}/coupons", {"code": "X", "kind": "fixed", "value": 1}),
    ):
        kwargs = {"headers": {"Idempotency-Key": f"{method}{path}"}}
        response = (
            getattr(api_bob_other, method)(path, body, **kwargs)
            if body is not None
            else getattr(api_bob_other, method)(path, **kwargs)
        )
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "not_found"
    assert Order.objects.get().status == "paid" and Variant.objects.get(pk=variant.pk).stock == 9
    assert api_buyer.get(f"{API}/cart").json()[0]["lines"][0]["quantity"] == 2
    assert audit() == before and not store.coupons.exists()


@pytest.fixture
def api_bob_other(charlie):
    return _api(charlie)


def test_the_order_inbox_over_http(api_owner, api_buyer, buyer, store, variant):
    orders = [
        api_buyer.post(
            f"{API}/storefront/sangsaeng-market/checkout",
            {"lines": [{"variant_id": str(variant.public_id), "quantity": 1}]},
            headers={"Idempotency-Key": f"o{i}"},
        ).json()
        for i in range(2)
    ]
    prepared = api_owner.post(
        f"{API}/stores/{store.public_id}/orders/bulk-prepare", {"order_ids": [o["id"] for o in orders]}
    )
    assert set(prepared.json().values()) == {"preparing"}
    shipped = api_owner.post(
        f"{API}/stores/{store.public_id}/orders/bulk-ship",
        {"csv": "\n".join(f"{o['number']},CJ대한통운,6100{i}" for i, o in enumerate(orders))},
    )
    assert [r["result"] for r in shipped.json()] == ["shipped", "shipped"]
    exported = api_owner.get(f"{API}/stores/{store.public_id}/orders.csv")
    assert exported.status_code == 200 and orders[0]["number"] in exported.content.decode()
    refund = api_owner.post(
        f"{API}/orders/{orders[0]['id']}/refund",
        {"amount": 2_000, "reason": "지연 보상"},
        headers={"Idempotency-Key": "r1"},
    )
    assert refund.status_code == 200 and refund.json()["refunded_amount"] == 2_000
    assert balance(buyer) == FUNDS - 24_000 + 2_000


def test_unknown_fields_and_missing_stores(api_owner, api_buyer, store):
    assert (
        api_owner.post(f"{API}/stores/{store.public_id}/products", {"title": "x", "variants": [], "evil": 1}).json()[
            "code"
        ]
        == "unknown_field"
    )
    assert api_buyer.get(f"{API}/storefront/no-such-store").status_code == 404
    assert Store.objects.count() == 1
