"""A partner opens a store on their channel and lists a product with a photo; a buyer pays in one tap;
the partner ships and delivers; the buyer confirms the purchase. Screenshots in var/e2e/commerce-*."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from conftest import PASSWORD
from sangsaeng.accounts.services import address_create
from sangsaeng.commerce.models import Order, Product
from sangsaeng.partners import services as partners
from sangsaeng.payments import services as payments

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def _photo(tmp_path):
    image = Image.new("RGB", (600, 600), "#fff7ed")
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 180, 450, 470), fill="#f97316")
    draw.ellipse((270, 150, 330, 200), fill="#15803d")
    path = tmp_path / "hallabong.jpg"
    image.save(path, "JPEG")
    return path


def test_open_a_store_sell_ship_deliver_and_confirm(page, browser, live_server, alice, bob, shoot, tmp_path):
    base = live_server.url
    channel = partners.channel_create(
        owner=alice, name="상생마켓", handle="sangsaeng-market", description="제주 농가 직거래"
    )
    address_create(
        user=bob,
        is_default=True,
        data={
            "name": "집",
            "base_address": "서울특별시 중구 세종대로 110",
            "detail_address": "3층",
            "zone_number": "04524",
            "receiver_name": "밥",
            "receiver_phone_number1": "010-1234-5678",
        },
    )
    payments.wallet_topup_test(user=bob, amount=100_000, idempotency_key="e2e")

    # the partner opens the store for free and lists a product with a photo
    _sign_in(page, base, alice.email)
    page.goto(f"{base}/store/admin/")
    shoot(page, "commerce-01-open-store")
    page.get_by_test_id("open-store").click()
    page.get_by_test_id("p-title").fill("한라봉 선물세트 3kg")
    page.get_by_test_id("p-desc").fill("당도 13브릭스 이상만 골라 담았습니다.")
    page.get_by_test_id("p-price").fill("32000")
    page.get_by_test_id("p-stock").fill("5")
    page.get_by_test_id("p-sku").fill("HALLA-3K")
    page.get_by_test_id("p-image").set_input_files(str(_photo(tmp_path)))
    shoot(page, "commerce-02-new-product")
    page.get_by_test_id("p-save").click()
    page.get_by_test_id("admin-image").wait_for()
    product = Product.objects.get(title="한라봉 선물세트 3kg")
    assert product.images.count() == 1 and str(channel.public_id) == str(product.store.channel_id)
    shoot(page, "commerce-03-product-admin")

    # the buyer finds it on the storefront and pays in one tap (default address, Pay wallet)
    buyer_context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 860})
    buyer = buyer_context.new_page()
    _sign_in(buyer, base, bob.email)
    buyer.goto(f"{base}/store/sangsaeng-market/")
    assert buyer.get_by_test_id("store-name").inner_text() == "상생마켓"
    image = buyer.locator("[data-testid=product-card] img").first
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    shoot(buyer, "commerce-04-storefront")
    buyer.get_by_test_id("product-card").first.click()
    assert buyer.get_by_test_id("product-price").inner_text() == "32,000원"
    shoot(buyer, "commerce-05-product")
    buyer.get_by_test_id("buy-now").click()
    buyer.get_by_test_id("pay").wait_for()
    assert "04524" in buyer.get_by_test_id("address").inner_text()
    assert buyer.get_by_test_id("total").inner_text() == "32,000원"
    shoot(buyer, "commerce-06-one-tap-checkout")
    buyer.get_by_test_id("pay").click()
    buyer.get_by_test_id("order-status").wait_for()
    assert buyer.get_by_test_id("order-status").inner_text() == "결제 완료"
    order = Order.objects.get()
    assert order.status == "paid" and payments.wallet_balance(user=bob) == 68_000
    shoot(buyer, "commerce-07-paid")

    # the partner ships it with a tracking number, then marks it delivered
    page.goto(f"{base}/store/admin/{order.store.public_id}/orders/")
    page.get_by_test_id("inbox-order").first.click()
    page.get_by_test_id("tracking-number").fill("612345678901")
    shoot(page, "commerce-08-inbox-order")
    page.get_by_test_id("ship").click()
    page.get_by_test_id("deliver").click()
    page.get_by_test_id("admin-order-status").wait_for()
    assert page.get_by_test_id("admin-order-status").inner_text() == "배송 완료"
    shoot(page, "commerce-09-delivered")

    # the buyer confirms the purchase and reviews it
    buyer.goto(f"{base}/store/orders/{order.public_id}/")
    assert "612345678901" in buyer.get_by_test_id("tracking").inner_text()
    buyer.get_by_test_id("confirm").click()
    buyer.get_by_test_id("order-status").wait_for()
    assert buyer.get_by_test_id("order-status").inner_text() == "구매 확정"
    buyer.get_by_test_id("review-body").fill("향이 정말 좋아요!")
    buyer.get_by_test_id("review-submit").click()
    shoot(buyer, "commerce-10-confirmed")
    order.refresh_from_db()
    assert order.status == "confirmed" and order.lines.get().review.rating == 5
    assert [e for e in page.csp_errors if "Content Security Policy" in e] == []
    buyer_context.close()
