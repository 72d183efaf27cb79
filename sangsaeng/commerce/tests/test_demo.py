"""`sangsaeng demo`: 상생마켓 has a store with Korean products, photos, stock and coupons, and the demo
user has an order on its way; running the demo twice adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.commerce import selectors
from sangsaeng.commerce.models import Order, Product


def test_the_demo_store_and_order(db):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    store = selectors.store_for_handle(handle="sangsaeng-market")
    assert store is not None
    products = list(selectors.storefront_products(store=store))
    assert len(products) == Product.objects.count() >= 5
    assert all(p.images.count() == 2 and p.variants.all()[0].stock > 0 for p in products)
    assert any(p.age_restricted for p in products) and any(p.authenticity_enabled for p in products)
    assert {c.code for c in selectors.coupons_for_store(store=store)} == {"WELCOME3000", "JEJU10"}
    demo = user_get_by_email(email="demo@sangsaeng.kr")
    (order,) = selectors.orders_for_buyer(user=demo)
    assert order.status == Order.Status.SHIPPED and order.discount == 3_000 and order.tracking_number
    page = Client().get("/store/sangsaeng-market/")
    assert page.status_code == 200 and "제주 노지 감귤 5kg" in page.content.decode()
    image = Client().get(products[0].images.all()[0].url)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
