"""Browser test: the example shop, then Sync's sign-in and consent screen, back to a pre-filled checkout.

Drives Debian's Chromium through Playwright against a live server and the example shop.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading

import pytest

from examples.partner_shop.shop import Shop, ShopConfig, serve
from sangsaeng.accounts.services import address_create, user_create
from sangsaeng.sync import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def browser_page(monkeypatch):
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is missing: make browser-deps installs it")
        pytest.skip("Debian's chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are
    # still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
        yield context.new_page()
        context.close()
        browser.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_shop_to_sync_consent_and_back_to_a_prefilled_checkout(live_server, browser_page):
    # given: a shopper with a default address and a shop registered for Sync
    shopper = user_create(email="shopper@example.com", password=PASSWORD, display_name="김쇼퍼", verified=True)
    owner = user_create(email="owner@example.com", password=PASSWORD, verified=True)
    address_create(
        user=shopper,
        data={
            "name": "집",
            "base_address": "부산광역시 해운대구 센텀중앙로 79",
            "detail_address": "101동 1001호",
            "zone_number": "48058",
            "receiver_name": "김쇼퍼",
            "receiver_phone_number1": "010-9876-5432",
        },
        is_default=True,
    )
    port = _free_port()
    partner, secret = services.partner_create(
        owner=owner,
        name="상생마켓",
        redirect_uris=[f"http://127.0.0.1:{port}/callback"],
        consent_items={"profile": "required", "email": "required", "shipping_address": "optional"},
    )
    services.term_create(actor=owner, partner_id=partner.public_id, tag="tos", title="상생마켓 이용약관", text="약관")
    shop = Shop(ShopConfig(live_server.url, partner.application.client_id, secret, f"http://127.0.0.1:{port}/callback"))
    server = serve(shop, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser_page
    try:
        # when: the shopper taps "start with Sync" and signs in
        page.goto(f"http://127.0.0.1:{port}/")
        page.get_by_test_id("sync-login").click()
        page.wait_for_url("**/accounts/login/**")
        page.fill("input[name=login]", "shopper@example.com")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        # then: one consent screen, in Korean, with the partner's items and terms
        page.wait_for_selector("[data-testid=consent-form]")
        assert "상생마켓" in page.content()
        page.get_by_test_id("consent-all").check()  # "전체 동의하기" ticks every box
        for box in ("item-profile", "item-email", "item-shipping_address", "term-tos"):
            assert page.get_by_test_id(box).is_checked()
        page.get_by_test_id("consent-allow").click()
        page.wait_for_url(f"http://127.0.0.1:{port}/checkout")
        # and the checkout is filled in without typing
        assert page.get_by_test_id("checkout-zone_number").input_value() == "48058"
        assert page.get_by_test_id("checkout-base_address").input_value() == "부산광역시 해운대구 센텀중앙로 79"
        assert page.get_by_test_id("checkout-receiver_name").input_value() == "김쇼퍼"
        assert page.get_by_test_id("checkout-email").input_value() == "shopper@example.com"
        assert "신규 회원" in page.get_by_test_id("welcome").inner_text()
    finally:
        server.shutdown()
        server.server_close()
