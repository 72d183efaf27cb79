"""A verified person makes a business card, shares its public page with a QR, and a colleague saves it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from conftest import PASSWORD
from e2e.conftest import SHOTS
from sangsaeng.business_cards.models import Card, CardBookEntry
from sangsaeng.identity import services as identity_services

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def _decode_qr(img) -> str:
    """Read the QR as the browser drew it: canvas pixels, decoded by zxing-cpp."""
    import zxingcpp

    pixels = img.evaluate(
        """img => {
            const c = document.createElement('canvas');
            c.width = img.naturalWidth; c.height = img.naturalHeight;
            const g = c.getContext('2d');
            g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height); g.drawImage(img, 0, 0);
            const d = g.getImageData(0, 0, c.width, c.height).data, lum = [];
            for (let i = 0; i < d.length; i += 4) lum.push(d[i + 1]);
            return {w: c.width, h: c.height, lum};
        }"""
    )
    view = memoryview(bytes(pixels["lum"])).cast("B", (pixels["h"], pixels["w"]))
    (code,) = zxingcpp.read_barcodes(view)
    return code.text


def test_make_a_card_share_it_by_qr_and_save_it_to_a_card_book(page, live_server, alice, bob, shoot, browser, settings):
    base = live_server.url
    settings.PUBLIC_URL = base  # links and QR codes point at this server
    identity_services.identity_approve_in_person(user=alice, legal_name="앨리스", birthdate=date(1990, 5, 17))

    # Alice gets her credential and makes a card
    _sign_in(page, base, alice.email)
    page.goto(f"{base}/identity/")
    page.get_by_test_id("issue").click()
    page.wait_for_url(f"{base}/identity/")
    assert "만 19세 이상" in page.get_by_test_id("credentials").inner_text()
    shoot(page, "cards-01-wallet")
    page.get_by_role("link", name="명함").first.click()
    page.get_by_role("link", name="새 명함").click()
    page.fill("input[name=company]", "상생 주식회사")
    page.fill("input[name=department]", "플랫폼팀")
    page.fill("input[name=title]", "개발자")
    page.fill("input[name=phones]", "010-2021-1117")
    page.fill("input[name=email]", "alice@sangsaeng.kr")
    page.fill("input[name=website]", "https://sangsaeng.kr")
    page.select_option("select[name=theme]", "navy")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/cards/[0-9a-f-]{36}/$"))
    card = Card.objects.get(owner=alice)
    shoot(page, "cards-02-edit-and-share")
    assert card.name == "앨리스"

    # The public page shows the verified-name badge and a QR that loaded
    page.goto(f"{base}/cards/p/{card.public_id}/")
    assert page.get_by_test_id("name-badge").is_visible()
    qr = page.get_by_test_id("qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    shoot(page, "cards-03-public-card")
    qr.screenshot(path=str(SHOTS / "cards-04-qr.png"))
    link = _decode_qr(qr)
    assert link == f"{base}/cards/p/{card.public_id}/"
    assert [e for e in page.csp_errors if "Content Security Policy" in e] == []

    # Bob scans the QR, opens its link and saves the card
    other = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    phone = other.new_page()
    _sign_in(phone, base, bob.email)
    phone.goto(link)
    phone.get_by_test_id("save-card").click()
    phone.wait_for_url(re.compile(r"/cards/book/[0-9a-f-]{36}/$"))
    shoot(phone, "cards-05-card-book-entry")
    assert CardBookEntry.objects.filter(holder=bob, card=card).exists()
    other.close()
