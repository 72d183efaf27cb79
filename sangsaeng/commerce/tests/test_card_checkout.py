"""A store order paid by card, end to end, against a local HTTP server speaking Toss Payments' API.

The buyer's checkout creates a pending card payment; the payment widget (simulated by the fake's
`authorise`) sends the buyer to the success URL with paymentKey, orderId and amount; the server
confirms at the fake's /v1/payments/confirm with Basic auth of the secret key; the order becomes
paid through the ledger's `payments.payment_paid` event; a refund goes back through the fake's
cancel API. Bad callbacks, replays and PG errors answer problem+json and move no money.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from sangsaeng.commerce.models import Order, Variant
from sangsaeng.commerce.tests.conftest import FUNDS, audit, balance
from sangsaeng.payments.models import Account, Payment

from .test_api import API, _api

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _payable(store: Any) -> int:
    ref = f"channel:{store.channel_id}"
    return Account.objects.filter(kind="payable", ref=ref).values_list("balance", flat=True).first() or 0


def _card_order(client: Any, variant: Any, key: str = "card-1", quantity: int = 1) -> dict[str, Any]:
    response = client.post(
        f"{API}/storefront/sangsaeng-market/checkout",
        {"lines": [{"variant_id": str(variant.public_id), "quantity": quantity}], "payment_method": "card"},
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["status"] == "placed" and order["payment_id"]
    return order


def _confirm(client: Any, order: dict[str, Any], payment_key: str = "tgen_pk_1", amount: int | None = None) -> Any:
    body = {"payment_key": payment_key, "amount": order["total"] if amount is None else amount}
    return client.post(f"{API}/orders/{order['id']}/payment/confirm", body)


def test_a_card_order_from_the_checkout_page_to_the_pg_and_back_then_refunded_to_the_card(
    alice, buyer, store, product, variant, toss, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(buyer)
    # given bob has two teas in his cart and chooses the card at checkout
    client.post(f"/store/{store.handle}/p/{product.public_id}/", {"variant": str(variant.public_id), "quantity": "2"})
    page = client.get(f"/store/{store.handle}/checkout/").content.decode()
    assert 'value="card"' in page
    placed = client.post(
        f"/store/{store.handle}/checkout/",
        {"checkout_key": "card-page-1", "payment_method": "card", "expected_total": "24000"},
    )
    order = Order.objects.get()
    # then the order waits, its stock held, and bob is sent to Pay's card page for its payment
    assert (order.status, order.total, Variant.objects.get(pk=variant.pk).stock) == ("placed", 24_000, 8)
    assert placed.status_code == 302
    assert placed["Location"] == f"/pay/checkout/{order.payment_id}/?next=%2Fstore%2Forders%2F{order.public_id}%2F"
    widget = client.get(placed["Location"]).content.decode()
    found = re.search(r'data-success-url="([^"]+)"', widget)
    assert found is not None
    success_url = html.unescape(found.group(1))
    assert re.search(rf'data-order-id="{order.payment_id}"', widget) and 'data-amount="24000"' in widget
    # when he enters his card in the widget, and Toss redirects him to the success URL
    toss.authorise(payment_key="tgen_20261101_card", order_id=order.payment_id, amount=24_000)
    landing = urlsplit(success_url)
    query = {**parse_qs(landing.query), "paymentKey": "tgen_20261101_card", "orderId": order.payment_id}
    with django_capture_on_commit_callbacks(execute=True):
        result = client.get(landing.path, {**query, "amount": "24000"})
    # then the server confirmed with Toss (Basic auth of the secret key: the fake refuses anything else)
    assert result.status_code == 200 and "결제가 완료되었습니다" in result.content.decode()
    assert f'href="/store/orders/{order.public_id}/"' in result.content.decode()
    assert toss.requests == [
        (
            "/v1/payments/confirm",
            {"paymentKey": "tgen_20261101_card", "orderId": order.payment_id, "amount": 24_000},
        )
    ]
    # and the order is paid, the store's payable holds the money less the PG fee, the ledger balances
    order.refresh_from_db()
    assert (order.status, order.payment_method) == ("paid", "card")
    assert Payment.objects.get(public_id=order.payment_id).pg_payment_key == "tgen_20261101_card"
    assert _payable(store) == 24_000 - 600
    assert balance(buyer) == FUNDS and audit()["ok"]
    assert client.get(f"/store/orders/{order.public_id}/").status_code == 200

    # when the store cancels the order, the money goes back to the card through Toss's cancel API
    cancelled = _api(alice).post(f"{API}/orders/{order.public_id}/store-cancel", {"reason": "재고 착오"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert toss.requests[-1] == (
        "/v1/payments/tgen_20261101_card/cancel",
        {"cancelReason": "재고 착오", "cancelAmount": 24_000},
    )
    assert toss.payments["tgen_20261101_card"]["status"] == "CANCELED"
    assert Payment.objects.get(public_id=order.payment_id).refunded == 24_000
    assert _payable(store) == 0 and Variant.objects.get(pk=variant.pk).stock == 10
    assert balance(buyer) == FUNDS and audit()["ok"]


def test_the_api_callback_pays_once_and_a_replay_moves_no_money(
    buyer, store, variant, toss, django_capture_on_commit_callbacks
):
    shopper = _api(buyer)
    order = _card_order(shopper, variant)
    toss.authorise(payment_key="tgen_pk_1", order_id=order["payment_id"], amount=order["total"])
    with django_capture_on_commit_callbacks(execute=True):
        paid = _confirm(shopper, order)
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    before, calls = audit(), len(toss.requests)
    # the same callback again, through the API and through the success redirect
    replay = _confirm(shopper, order)
    assert (replay.status_code, replay["Content-Type"]) == (409, PROBLEM)
    assert replay.json()["code"] == "payment_already_confirmed"
    # the problem's `status` stays the HTTP status (RFC 9457); the order's state has its own member
    assert (replay.json()["status"], replay.json()["order_status"]) == (409, "paid")
    client = Client()
    client.force_login(buyer)
    page = client.get(
        "/pay/toss/success", {"paymentKey": "tgen_pk_1", "orderId": order["payment_id"], "amount": order["total"]}
    )
    assert page.status_code == 409 and 'data-code="payment_already_confirmed"' in page.content.decode()
    assert audit() == before and len(toss.requests) == calls
    assert _payable(store) == order["total"] - order["total"] * 250 // 10_000


def test_a_tampered_amount_is_refused_before_asking_the_pg(buyer, store, variant, toss):
    shopper = _api(buyer)
    order = _card_order(shopper, variant)
    toss.authorise(payment_key="tgen_pk_1", order_id=order["payment_id"], amount=order["total"])
    before = audit()
    for amount in (1_000, order["total"] + 1):
        refused = _confirm(shopper, order, amount=amount)
        assert (refused.status_code, refused["Content-Type"]) == (422, PROBLEM)
        assert (refused.json()["code"], refused.json()["field"]) == ("amount_mismatch", "amount")
        assert refused.json()["expected"] == order["total"]
    client = Client()
    client.force_login(buyer)
    page = client.get("/pay/toss/success", {"paymentKey": "tgen_pk_1", "orderId": order["payment_id"], "amount": "1"})
    assert page.status_code == 422 and 'data-code="amount_mismatch"' in page.content.decode()
    assert toss.requests == [] and audit() == before
    assert Order.objects.get(public_id=order["id"]).status == "placed"
    assert Payment.objects.get(public_id=order["payment_id"]).status == "pending"
    # the real amount still goes through afterwards
    assert _confirm(shopper, order).json()["status"] == "paid"


def test_a_pg_outage_changes_nothing_and_a_retry_pays(buyer, store, variant, toss):
    shopper = _api(buyer)
    order = _card_order(shopper, variant)
    toss.authorise(payment_key="tgen_pk_1", order_id=order["payment_id"], amount=order["total"])
    before = audit()
    toss.fail_next(500)
    down = _confirm(shopper, order)
    assert (down.status_code, down["Content-Type"], down["Retry-After"]) == (502, PROBLEM, "5")
    assert down.json()["code"] == "pg_unavailable"
    assert audit() == before and Order.objects.get(public_id=order["id"]).status == "placed"
    assert Payment.objects.get(public_id=order["payment_id"]).status == "pending"
    # a retry, once Toss answers again, pays the order
    assert _confirm(shopper, order).json()["status"] == "paid"
    assert audit()["ok"]


def test_a_pg_that_cannot_be_reached_changes_nothing(buyer, variant, toss, settings):
    shopper = _api(buyer)
    order = _card_order(shopper, variant)
    toss.stop()
    before = audit()
    down = _confirm(shopper, order)
    assert (down.status_code, down.json()["code"]) == (502, "pg_unavailable")
    assert audit() == before and Payment.objects.get(public_id=order["payment_id"]).status == "pending"


def test_a_card_the_pg_declines_cancels_the_order_and_returns_the_stock(buyer, store, variant, toss):
    shopper = _api(buyer)
    order = _card_order(shopper, variant, quantity=3)
    assert Variant.objects.get(pk=variant.pk).stock == 7
    toss.authorise(payment_key="tgen_pk_1", order_id=order["payment_id"], amount=order["total"])
    before = audit()
    toss.fail_next(403, {"code": "REJECT_CARD_COMPANY", "message": "카드사에서 거절한 결제입니다."})
    declined = _confirm(shopper, order)
    assert (declined.status_code, declined["Content-Type"]) == (402, PROBLEM)
    assert (declined.json()["code"], declined.json()["pg_code"]) == ("pg_declined", "REJECT_CARD_COMPANY")
    assert audit() == before and _payable(store) == 0
    assert Order.objects.get(public_id=order["id"]).status == "cancelled"
    assert Payment.objects.get(public_id=order["payment_id"]).status == "failed"
    assert Variant.objects.get(pk=variant.pk).stock == 10


def test_a_refund_the_pg_refuses_moves_no_money(alice, buyer, store, variant, toss):
    shopper = _api(buyer)
    order = _card_order(shopper, variant)
    toss.authorise(payment_key="tgen_pk_1", order_id=order["payment_id"], amount=order["total"])
    _confirm(shopper, order)
    before = audit()
    toss.fail_next(500)
    refused = _api(alice).post(
        f"{API}/orders/{order['id']}/refund",
        {"amount": 1_000, "reason": "일부 파손"},
        headers={"Idempotency-Key": "r1"},
    )
    assert (refused.status_code, refused.json()["code"]) == (502, "pg_unavailable")
    row = Order.objects.get(public_id=order["id"])
    assert (row.status, row.refunded_amount) == ("paid", 0) and not row.refunds.exists()
    assert audit() == before and Payment.objects.get(public_id=order["payment_id"]).refunded == 0


def test_another_users_card_callback_is_a_404_and_changes_nothing(buyer, charlie, variant, toss):
    order = _card_order(_api(buyer), variant)
    toss.authorise(payment_key="tgen_pk_1", order_id=order["payment_id"], amount=order["total"])
    stranger = _confirm(_api(charlie), order)
    assert stranger.status_code == 404 and toss.requests == []
    assert Order.objects.get(public_id=order["id"]).status == "placed"
    assert Payment.objects.get(public_id=order["payment_id"]).status == "pending"
