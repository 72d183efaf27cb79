"""A person asks the assistant, in Korean, for last year's Jeju photos and for the status of an order,
and gets exactly the right items."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from django.utils import timezone

from conftest import PASSWORD
from sangsaeng.accounts.services import address_create
from sangsaeng.commerce import services as commerce
from sangsaeng.drawer.services import file_save_from
from sangsaeng.drawer.tests import media
from sangsaeng.partners import services as partners
from sangsaeng.payments import services as payments

pytestmark = pytest.mark.django_db(transaction=True)

JEJU, SEOUL = (33.4996, 126.5312), (37.5665, 126.9780)
ADDRESS = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "detail_address": "3층",
    "zone_number": "04524",
    "receiver_name": "앨리스",
    "receiver_phone_number1": "010-2222-3333",
}


def _sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def _ask(page, message: str) -> str:
    answers = page.locator("[data-testid=assistant-answer]")
    before = answers.count()
    page.fill("textarea[name=message]", message)
    page.get_by_role("button", name="보내기").click()
    page.wait_for_function("n => document.querySelectorAll('[data-testid=assistant-answer]').length > n", arg=before)
    return answers.nth(before).text_content() or ""


def _given(alice, bob) -> dict:
    year = timezone.localdate().year
    # given photos from last year in Jeju and in Seoul, and one from Jeju this year
    photos = {
        "한라산.jpg": (datetime(year - 1, 7, 14, 10, 0), JEJU),
        "성산일출봉.jpg": (datetime(year - 1, 8, 2, 6, 30), JEJU),
        "광화문.jpg": (datetime(year - 1, 7, 20, 18, 0), SEOUL),
        "올해_제주.jpg": (datetime(year, 1, 3, 12, 0), JEJU),
    }
    for name, (taken, gps) in photos.items():
        file_save_from(owner=alice, name=name, data=media.jpeg(taken=taken, gps=gps), source="test")
    # and an order of Alice's that Bob's store has shipped
    channel = partners.channel_create(owner=bob, name="한빛 상점", handle="hanbit-store")
    store = commerce.store_open(actor=bob, channel_id=channel.public_id)
    product = commerce.product_create(
        actor=bob,
        store_id=store.public_id,
        data={
            "title": "제주 유기농 녹차",
            "description": "첫물 녹차 100g",
            "status": "public",
            "variants": [{"sku": "TEA-100", "price": 12_000, "stock": 10}],
        },
    )
    address_create(user=alice, data=ADDRESS, is_default=True)
    payments.wallet_topup_test(user=alice, amount=100_000, idempotency_key="e2e-fund")
    order = commerce.checkout(
        buyer=alice,
        store=store,
        idempotency_key="e2e-order",
        lines=[{"variant_id": str(product.variants.get().public_id), "quantity": 1}],
    )
    commerce.order_prepare(actor=bob, order_id=order.public_id)
    commerce.order_ship(actor=bob, order_id=order.public_id, courier="CJ대한통운", tracking_number="6012-3456-7890")
    other = commerce.checkout(
        buyer=alice,
        store=store,
        idempotency_key="e2e-order-2",
        lines=[{"variant_id": str(product.variants.get().public_id), "quantity": 2}],
    )
    order.refresh_from_db()
    other.refresh_from_db()
    return {"order": order, "other": other}


def test_last_years_jeju_photos_and_an_orders_status(page, live_server, alice, bob, shoot, settings):
    settings.ASSISTANT_LM_URL = ""
    # made in a thread of its own: Playwright's event loop runs in this one, and the store's chat
    # notifications can't be sent synchronously from inside it
    made: dict = {}
    worker = threading.Thread(target=lambda: made.update(_given(alice, bob)))
    worker.start()
    worker.join()
    order, other = made["order"], made["other"]

    year = timezone.localdate().year
    base = live_server.url
    _sign_in(page, base, alice)
    page.goto(f"{base}/assistant/")
    # when she asks for last year's Jeju photos
    answer = _ask(page, "작년 제주도 사진 보여줘")
    # then exactly the two from Jeju last year come back
    assert "한라산.jpg" in answer and "성산일출봉.jpg" in answer, answer
    assert "광화문.jpg" not in answer and "올해_제주.jpg" not in answer, answer
    assert f"{year - 1}-08-02 제주시 성산일출봉.jpg" in answer, answer  # the day it was in Korea, not in UTC
    shoot(page, "assistant-07-jeju-photos")
    # when she asks where her shipped order is
    answer = _ask(page, "배송 중인 주문 알려줘")
    # then the shipped order, and not the one only paid, is named
    assert order.number in answer and "제주 유기농 녹차" in answer and "6012-3456-7890" in answer, answer
    assert other.number not in answer, answer
    shoot(page, "assistant-08-order-status")
    assert [e for e in page.csp_errors if "Content Security Policy" in e] == []
