"""/api/v1/payments: each endpoint for success, bad input and another user's access."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from freezegun import freeze_time

from sangsaeng.payments import services
from sangsaeng.payments.models import Payment
from sangsaeng.payments.settlements import SEOUL

from .conftest import SHOP, money_snapshot

URL = "/api/v1/payments"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_wallet_shows_balance_and_virtual_account(api_alice, funded_alice):
    r = api_alice.get(f"{URL}/wallet")
    assert r.status_code == 200
    body = r.json()
    assert body["balance"] == 100_000 and body["held"] == 0 and body["test_mode"] is True
    assert body["virtual_account"]["number"] == services.virtual_account_get(user=funded_alice).number
    assert api_alice.get(f"{URL}/virtual-account").json() == body["virtual_account"]


def test_topup_test_requires_a_key_and_replays_once(api_alice, alice):
    assert api_alice.post(f"{URL}/wallet/topup-test", {"amount": 5_000}).json()["code"] == "missing_field"
    headers = {"Idempotency-Key": "topup-1"}
    first = api_alice.post(f"{URL}/wallet/topup-test", {"amount": 5_000}, headers=headers)
    again = api_alice.post(f"{URL}/wallet/topup-test", {"amount": 5_000}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert services.wallet_balance(user=alice) == 5_000
    history = api_alice.get(f"{URL}/wallet/history").json()
    assert [(h["kind"], h["label"], h["amount"]) for h in history] == [("topup_test", "테스트 충전", 5_000)]


@pytest.mark.parametrize("amount", [0, -100, 10_000_000_001, 1.5, "만원"])
def test_bad_amounts_are_problems(api_alice, funded_alice, amount):
    before = money_snapshot()
    for path, body in (
        ("/wallet/topup-test", {"amount": amount}),
        ("/payments", {"payee_ref": SHOP, "amount": amount, "purpose": "x"}),
    ):
        r = api_alice.post(URL + path, body, headers=_key())
        assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
        assert r.json()["field"] == "amount"
    assert money_snapshot() == before


def test_a_wallet_payment_and_insufficient_funds(api_alice, funded_alice):
    body = {"payee_ref": SHOP, "amount": 60_000, "method": "wallet", "purpose": "한라봉", "order_ref": "o-1"}
    r = api_alice.post(f"{URL}/payments", body, headers=_key())
    assert r.status_code == 201 and r.json()["status"] == "paid"
    before = money_snapshot()
    r = api_alice.post(f"{URL}/payments", body, headers=_key())
    assert (r.status_code, r.json()["code"]) == (409, "insufficient_funds")
    assert money_snapshot() == before
    assert [p["amount"] for p in api_alice.get(f"{URL}/payments").json()] == [60_000]


def test_a_test_payment_confirms_once(api_alice, alice):
    r = api_alice.post(
        f"{URL}/payments", {"payee_ref": SHOP, "amount": 3_000, "method": "test", "purpose": "데모"}, headers=_key()
    )
    pid = r.json()["id"]
    assert r.json()["status"] == "pending"
    ok = api_alice.post(f"{URL}/payments/{pid}/confirm", {}, headers=_key())
    assert ok.status_code == 200 and ok.json()["status"] == "paid"
    before = money_snapshot()
    replay = api_alice.post(f"{URL}/payments/{pid}/confirm", {}, headers=_key())
    assert (replay.status_code, replay.json()["code"]) == (409, "payment_already_confirmed")
    assert (replay.json()["status"], replay.json()["payment_status"]) == (409, "paid")
    assert money_snapshot() == before


def test_another_users_payment_is_a_404_and_nothing_changes(api_alice, api_bob, alice):
    r = api_alice.post(
        f"{URL}/payments", {"payee_ref": SHOP, "amount": 3_000, "method": "test", "purpose": "데모"}, headers=_key()
    )
    pid = r.json()["id"]
    assert api_bob.get(f"{URL}/payments/{pid}").status_code == 404
    r = api_bob.post(f"{URL}/payments/{pid}/confirm", {}, headers=_key())
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    r = api_bob.post(f"{URL}/payments/{pid}/refunds", {"amount": 1, "reason": "x"}, headers=_key())
    assert r.status_code == 404
    assert Payment.objects.get(public_id=pid).status == "pending"
    assert api_alice.get(f"{URL}/payments/{uuid.uuid4()}").status_code == 404


def test_refunds_through_the_api(api_alice, funded_alice, shop_staff):
    from conftest import ApiClient
    from sangsaeng.accounts.services import token_create

    payment = services.payment_create(
        payer=funded_alice,
        payee_ref=SHOP,
        amount=20_000,
        method="wallet",
        purpose="귤",
        order_ref="",
        idempotency_key="k",
    )
    _t, secret = token_create(user=shop_staff, label="shop")
    staff = ApiClient(secret)
    r = staff.post(
        f"{URL}/payments/{payment.public_id}/refunds", {"amount": 5_000, "reason": "부분 환불"}, headers=_key()
    )
    assert r.status_code == 201 and r.json()["amount"] == 5_000
    r = staff.post(f"{URL}/payments/{payment.public_id}/refunds", {"amount": 15_001, "reason": "초과"}, headers=_key())
    assert (r.status_code, r.json()["code"]) == (409, "refund_exceeds_paid")
    assert services.wallet_balance(user=funded_alice) == 85_000


def test_settlements_are_the_payees_own(api_alice, api_bob, funded_alice, shop_staff):
    with freeze_time(datetime(2026, 11, 27, 10, 0, tzinfo=SEOUL)):
        services.payment_create(
            payer=funded_alice,
            payee_ref=SHOP,
            amount=20_000,
            method="wallet",
            purpose="귤",
            order_ref="",
            idempotency_key="k",
        )
    with freeze_time(datetime(2026, 11, 28, 10, 0, tzinfo=SEOUL)):
        statement = services.statement_generate(payee_ref=SHOP, day=date(2026, 11, 27))
    listed = api_bob.get(f"{URL}/settlements").json()
    assert [(s["gross"], s["platform_fee"], s["net"]) for s in listed] == [(20_000, 0, 20_000)]
    assert api_bob.get(f"{URL}/settlements/{statement.public_id}").json()["platform_fee"] == 0
    assert api_alice.get(f"{URL}/settlements/{statement.public_id}").status_code == 404
    assert api_alice.get(f"{URL}/settlements").json() == []


def test_anonymous_callers_are_refused(anon_api):
    assert anon_api.get(f"{URL}/wallet").status_code == 401
