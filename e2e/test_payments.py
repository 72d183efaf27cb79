"""A person opens the Pay wallet, tops up with the labelled test method, sees the history, pays a
test checkout, and a payee reads a statement with the 0 won platform fee line."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from freezegun import freeze_time

from conftest import PASSWORD
from sangsaeng.payments import services
from sangsaeng.payments.ledger import ledger_audit
from sangsaeng.payments.settlements import SEOUL

pytestmark = pytest.mark.django_db(transaction=True)

SHOP = f"channel:{uuid.UUID(int=7)}"


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def test_wallet_test_topup_history_checkout_and_statement(page, live_server, alice, bob, shoot):
    base = live_server.url
    _sign_in(page, base, alice.email)

    # The wallet: empty, with a virtual account and the test method clearly labelled
    page.get_by_role("link", name="페이").first.click()
    page.wait_for_url(f"{base}/pay/")
    assert page.get_by_test_id("balance").inner_text().startswith("0")
    assert page.get_by_test_id("va-number").inner_text().startswith("790-")
    assert "테스트 모드" in page.get_by_test_id("test-topup").inner_text()
    shoot(page, "payments-01-empty-wallet")

    # A test top-up of 50,000 won lands in the balance and the history
    page.get_by_test_id("topup-50000").click()
    page.wait_for_url(f"{base}/pay/")
    assert page.get_by_test_id("balance").inner_text().replace("\n", "") == "50,000원"
    history = page.get_by_test_id("history").inner_text()
    assert "테스트 충전" in history and "+50,000원" in history
    assert services.wallet_balance(user=alice) == 50_000
    shoot(page, "payments-02-topped-up")

    # A shop asks for a test payment; alice confirms it on the checkout page
    payment = services.payment_create(
        payer=alice,
        payee_ref=SHOP,
        amount=4_500,
        method="test",
        purpose="아메리카노 한 잔",
        order_ref="cafe-1",
        idempotency_key="e2e-cafe",
    )
    page.goto(f"{base}/pay/checkout/{payment.public_id}/")
    shoot(page, "payments-03-checkout")
    page.get_by_test_id("pay-test").click()
    page.wait_for_url(f"{base}/pay/checkout/{payment.public_id}/")
    assert page.get_by_test_id("status").inner_text() == "결제 완료"
    assert [e for e in page.csp_errors if "Content Security Policy" in e] == []

    # Bob's own sales: a statement with the platform fee line at 0 won
    with freeze_time(datetime(2026, 11, 27, 11, 0, tzinfo=SEOUL)):
        services.payment_create(
            payer=alice,
            payee_ref=services.user_ref(bob),
            amount=12_000,
            method="wallet",
            purpose="제주 바다 사진 엽서",
            order_ref="",
            idempotency_key="e2e-print",
        )
    with freeze_time(datetime(2026, 11, 28, 9, 0, tzinfo=SEOUL)):
        statement = services.statement_generate(payee_ref=services.user_ref(bob), day=date(2026, 11, 27))
    other = page.context.browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 860})
    bob_page = other.new_page()
    _sign_in(bob_page, base, bob.email)
    bob_page.goto(f"{base}/pay/settlements/")
    bob_page.get_by_role("link", name="2026-11-27").click()
    assert "플랫폼 수수료 0원" in bob_page.get_by_test_id("platform-fee").inner_text()
    assert bob_page.get_by_test_id("net").inner_text() == "12,000원"
    shoot(bob_page, "payments-04-statement")
    # alice can't open bob's statement
    page.goto(f"{base}/pay/settlements/{statement.public_id}/")
    assert "12,000" not in page.content()
    other.close()
    assert ledger_audit()["ok"]
