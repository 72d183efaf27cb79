"""The Pay pages: wallet, test top-up, checkout, Toss redirects, settlements, operator desk."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from urllib.parse import quote

import pytest
from django.test import Client
from freezegun import freeze_time

from sangsaeng.payments import services
from sangsaeng.payments.models import BankDeposit, Payment
from sangsaeng.payments.settlements import SEOUL

from .conftest import SHOP, money_snapshot
from .toss_fake import SECRET, FakeToss


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_wallet_page_shows_balance_account_and_labelled_test_mode(funded_alice):
    page = _client(funded_alice).get("/pay/").content.decode()
    assert "100,000" in page and "테스트 모드" in page and "테스트 충전" in page
    assert services.virtual_account_get(user=funded_alice).number[:3] in page


def test_the_test_topup_button_tops_up_once_per_rendered_form(alice):
    c = _client(alice)
    for _ in range(2):  # a double click posts the same form twice
        r = c.post("/pay/topup", {"amount": 50_000, "key": "form-1"})
        assert r.status_code == 302
    assert services.wallet_balance(user=alice) == 50_000


def test_the_wallet_hides_test_topups_when_test_mode_is_off(alice, settings):
    settings.PAYMENTS_TEST_MODE = False
    page = _client(alice).get("/pay/").content.decode()
    assert 'data-testid="test-topup"' not in page
    _client(alice).post("/pay/topup", {"amount": 50_000, "key": "x"})
    assert services.wallet_balance(user=alice) == 0


def test_a_test_checkout_and_another_users_404(alice, bob):
    payment = services.payment_create(
        payer=alice,
        payee_ref=SHOP,
        amount=4_500,
        method="test",
        purpose="아메리카노",
        order_ref="",
        idempotency_key="k",
    )
    assert _client(bob).get(f"/pay/checkout/{payment.public_id}/").status_code == 404
    assert _client(bob).post(f"/pay/checkout/{payment.public_id}/test").status_code == 404
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    page = _client(alice).get(f"/pay/checkout/{payment.public_id}/").content.decode()
    assert "테스트 결제하기" in page
    _client(alice).post(f"/pay/checkout/{payment.public_id}/test")
    assert Payment.objects.get(pk=payment.pk).status == "paid"


def test_toss_success_redirect_confirms_and_a_replay_says_so(alice, settings):
    fake = FakeToss().start()
    try:
        settings.TOSS_SECRET_KEY, settings.TOSS_CLIENT_KEY, settings.TOSS_API_BASE = SECRET, "test_ck", fake.base
        payment = services.payment_create(
            payer=alice, payee_ref=SHOP, amount=39_000, method="card", purpose="감귤", order_ref="", idempotency_key="k"
        )
        checkout = _client(alice).get(f"/pay/checkout/{payment.public_id}/")
        assert "js.tosspayments.com" in checkout["Content-Security-Policy"]
        fake.authorise(payment_key="pk_9", order_id=str(payment.public_id), amount=39_000)
        url = f"/pay/toss/success?paymentKey=pk_9&orderId={payment.public_id}&amount=39000"
        ok = _client(alice).get(url)
        assert ok.status_code == 200 and "결제가 완료되었습니다" in ok.content.decode()
        before = money_snapshot()
        replay = _client(alice).get(url)
        assert replay.status_code == 409 and "이미 승인된 결제입니다" in replay.content.decode()
        assert money_snapshot() == before
        tampered = services.payment_create(
            payer=alice,
            payee_ref=SHOP,
            amount=39_000,
            method="card",
            purpose="감귤",
            order_ref="",
            idempotency_key="k2",
        )
        r = _client(alice).get(f"/pay/toss/success?paymentKey=pk_x&orderId={tampered.public_id}&amount=100")
        assert r.status_code == 422 and 'data-code="amount_mismatch"' in r.content.decode()
        r = _client(alice).get(f"/pay/toss/fail?code=PAY_PROCESS_CANCELED&message=취소&orderId={tampered.public_id}")
        assert r.status_code == 400 and Payment.objects.get(pk=tampered.pk).status == "failed"
        assert _client(alice).get(f"/pay/toss/fail?orderId={uuid.uuid4()}").status_code == 404
    finally:
        fake.stop()


def test_the_statement_page_shows_the_zero_platform_fee(funded_alice, shop_staff):
    with freeze_time(datetime(2026, 11, 27, 10, 0, tzinfo=SEOUL)):
        services.payment_create(
            payer=funded_alice,
            payee_ref=SHOP,
            amount=25_000,
            method="wallet",
            purpose="감귤 선물세트",
            order_ref="",
            idempotency_key="k",
        )
    with freeze_time(datetime(2026, 11, 28, 9, 0, tzinfo=SEOUL)):
        statement = services.statement_generate(payee_ref=SHOP, day=date(2026, 11, 27))
    page = _client(shop_staff).get(f"/pay/settlements/{statement.public_id}/").content.decode()
    assert "플랫폼 수수료 0원" in page and "25,000" in page
    assert "2026-11-27" in _client(shop_staff).get("/pay/settlements/").content.decode()
    assert _client(funded_alice).get(f"/pay/settlements/{statement.public_id}/").status_code == 404


@pytest.fixture
def operator(db):
    from sangsaeng.accounts.services import user_create

    user = user_create(email="ops@example.com", password="x" * 20, display_name="운영자", verified=True)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_the_operator_desk_imports_and_reports_bad_lines(operator, alice):
    number = services.virtual_account_get(user=alice).number
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile(
        "s.csv", f"date,depositor,virtual_account,amount,bank_txn_id\n2026-11-30,앨리스,{number},0,A\n".encode()
    )
    r = _client(operator).post("/pay/operator/", {"file": bad})
    assert r.status_code == 422 and "2번째 줄 amount" in r.content.decode()
    assert not BankDeposit.objects.exists()
    good = SimpleUploadedFile(
        "s.csv", f"date,depositor,virtual_account,amount,bank_txn_id\n2026-11-30,앨리스,{number},7000,A\n".encode()
    )
    assert _client(operator).post("/pay/operator/", {"file": good}).status_code == 302
    assert services.wallet_balance(user=alice) == 7_000
    r = _client(operator).post(
        "/pay/operator/",
        {
            "virtual_account": number,
            "amount": 3000,
            "depositor": "앨리스",
            "bank_txn_id": "B",
            "deposited_on": "2026-11-30",
        },
    )
    assert r.status_code == 302 and services.wallet_balance(user=alice) == 10_000
    assert _client(operator).get("/pay/operator/payouts.csv").status_code == 200


def test_the_operator_desk_is_a_404_for_everyone_else(alice):
    number = services.virtual_account_get(user=alice).number
    c = _client(alice)
    assert c.get("/pay/operator/").status_code == 404
    r = c.post(
        "/pay/operator/",
        {
            "virtual_account": number,
            "amount": 3000,
            "depositor": "앨리스",
            "bank_txn_id": "B",
            "deposited_on": "2026-11-30",
        },
    )
    assert r.status_code == 404 and services.wallet_balance(user=alice) == 0
    assert c.get("/pay/operator/payouts.csv").status_code == 404


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("/store/orders/1/", "/store/orders/1/"),
        ("https://evil.example/phish", ""),
        ("//evil.example/phish", ""),
        ("/\\evil.example", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_the_card_page_returns_the_buyer_only_to_a_page_of_this_site(alice, settings, given, kept):
    settings.TOSS_SECRET_KEY, settings.TOSS_CLIENT_KEY = SECRET, "test_ck"
    payment = services.payment_create(
        payer=alice, payee_ref=SHOP, amount=39_000, method="card", purpose="감귤", order_ref="", idempotency_key="k"
    )
    page = _client(alice).get(f"/pay/checkout/{payment.public_id}/", {"next": given}).content.decode()
    found = re.search(r'data-success-url="([^"]+)"', page)
    assert found is not None
    success = found.group(1)
    assert success.endswith("/pay/toss/success" + (f"?next={quote(kept, safe='')}" if kept else ""))
    assert ('data-testid="back"' in page) is bool(kept)
