"""Store purchase -> delivery -> ownership transferred, end to end on the embedded chain.

A verified brand sells through its own partner channel's store; buyers pay over the public API,
the partner ships naming each unit's serial and marks it delivered, and the outbox hands each
passport to its buyer's custodial wallet. A refund before delivery transfers nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sangsaeng.accounts.services import address_create, user_create
from sangsaeng.authenticity import selectors as authenticity_selectors
from sangsaeng.authenticity import services as authenticity
from sangsaeng.authenticity.models import DeliveryHandover, Passport
from sangsaeng.chain import selectors as chain_selectors
from sangsaeng.chain import services as chain
from sangsaeng.chain.gateway import contract_at
from sangsaeng.chain.tests.conftest import deployed, embedded, embedded_node, settle  # noqa: F401
from sangsaeng.commerce.models import Order, Product
from sangsaeng.commerce.tests.conftest import ADDRESS, FUNDS, audit, balance, fund

from .test_api import API, _api

pytestmark = pytest.mark.django_db
SERIALS = ("JO-2026-0101", "JO-2026-0102")
PRICE = 180_000


def _row(serial: str) -> dict[str, str]:
    return {
        "serial": serial,
        "product_name": "옹기 장인 한정판 감귤 항아리",
        "model": "ONGGI-LTD",
        "manufactured_on": "2026-10-01",
        "manufactured_at": "제주특별자치도 제주시 애월읍",
        "materials": "제주 화산토;유약",
        "images": "",
        "warranty_months": "24",
        "warranty_terms": "정상 사용 중 균열 시 무상 수리",
    }


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_user(email="ops@sangsaeng.kr", password="ops-password-2026", is_staff=True)


@pytest.fixture
def brand(alice, operator, channel):
    """제주 옹기, verified by an operator, sells through alice's channel 상생마켓."""
    authenticity.brand_create(owner=alice, name="제주 옹기", slug="jeju-onggi", partner_channel_id=channel.public_id)
    return authenticity.brand_verify(actor=operator, slug="jeju-onggi")


@pytest.fixture
def passports(embedded, deployed, brand, alice):  # noqa: F811  (fixtures imported above)
    issued = [authenticity.passport_issue(actor=alice, slug=brand.slug, data=_row(s))[0] for s in SERIALS]
    settle()
    return issued


@pytest.fixture
def pot(alice, store, brand) -> dict[str, Any]:
    response = _api(alice).post(
        f"{API}/stores/{store.public_id}/products",
        {
            "title": "옹기 장인 한정판 감귤 항아리",
            "status": "public",
            "authenticity_enabled": True,
            "authenticity_brand": brand.slug,
            "shipping_rule": "free",
            "variants": [{"sku": "ONGGI-LTD", "price": PRICE, "stock": 2}],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def _shopper(email: str, name: str) -> Any:
    user = user_create(email=email, password="correct-horse-battery-staple", display_name=name, verified=True)
    address_create(user=user, data={**ADDRESS, "receiver_name": name}, is_default=True)
    fund(user, key=f"fund-{email}")
    return user


def _buy(client: Any, pot: dict[str, Any], key: str) -> dict[str, Any]:
    variant_id = pot["variants"][0]["id"]
    response = client.post(
        f"{API}/storefront/sangsaeng-market/checkout",
        {"lines": [{"variant_id": variant_id, "quantity": 1}], "payment_method": "test"},
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "paid"
    return response.json()


def _ship(owner: Any, order: dict[str, Any], serials: list[str]) -> Any:
    return owner.post(
        f"{API}/orders/{order['id']}/ship",
        {"courier": "CJ대한통운", "tracking_number": "612345678901", "serials": {order["lines"][0]["id"]: serials}},
    )


def _holder(token_id: int) -> str:
    token = contract_at("ProductPassport", chain_selectors.contract_get(name="ProductPassport").address)
    return str(token.functions.ownerOf(token_id).call())


def test_a_store_purchase_passes_the_passport_to_the_buyer_when_delivered(
    alice, buyer, pot, passports, django_capture_on_commit_callbacks
):
    owner, shopper = _api(alice), _api(buyer)
    first, second = passports
    assert _holder(first.token_id) == chain.passport_custody_address()
    # given bob bought one pot, and the partner shipped it with its serial
    order = _buy(shopper, pot, "pot-1")
    shipped = _ship(owner, order, [SERIALS[0]])
    assert shipped.status_code == 200 and shipped.json()["lines"][0]["serials"] == [SERIALS[0]]
    assert Passport.objects.get(pk=first.pk).owner is None  # in transit: still the brand's
    # when the partner marks it delivered (the outbox hands the passport over) and bob confirms
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post(f"{API}/orders/{order['id']}/deliver").json()["status"] == "delivered"
    settle()
    assert shopper.post(f"{API}/orders/{order['id']}/confirm").json()["status"] == "confirmed"
    # then bob owns it, in the database and on chain, in his custodial wallet
    assert Passport.objects.get(pk=first.pk).owner == buyer
    assert _holder(first.token_id) == chain.wallet_get_or_create(user=buyer).address
    assert [p.serial for p in authenticity_selectors.passports_owned(user=buyer)] == [SERIALS[0]]
    # and the public verification page (the unit's QR label) says it has a registered owner, never who
    qr = authenticity_selectors.passport_qr_code(passport=first)
    for url in (f"/authenticity/t/{qr}", f"/authenticity/p/{first.token_id}"):
        page = Client().get(url)
        html = page.content.decode()
        assert page.status_code == 200, url
        assert re.search(r'data-testid="registered">\s*등록된 소유자가 있습니다', html)
        assert "bob@example.com" not in html and buyer.display_name not in html
    assert 'data-verdict="authentic"' in Client().get(f"/authenticity/t/{qr}").content.decode()
    public = authenticity_selectors.passport_public(Passport.objects.get(pk=first.pk))
    assert public["registered"] is True and public["warranty"]["status"] == "active"
    assert [e["kind"] for e in public["history"]] == ["issued", "delivered"]
    assert [e["transaction"]["status"] for e in public["history"]] == ["confirmed", "confirmed"]

    # when a second buyer orders the same product
    charlie = _shopper("charlie@example.com", "찰리")
    other = _buy(_api(charlie), pot, "pot-2")
    # then the first unit's serial is refused for it (it has an owner), and nothing changed
    refused = _ship(owner, other, [SERIALS[0]])
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    assert (refused.json()["code"], refused.json()["serial"]) == ("already_claimed", SERIALS[0])
    assert Order.objects.get(public_id=other["id"]).status == "paid"
    # and the next unit goes to charlie: a different passport
    assert _ship(owner, other, [SERIALS[1]]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(f"{API}/orders/{other['id']}/deliver")
    settle()
    assert Passport.objects.get(pk=second.pk).owner == charlie
    assert _holder(second.token_id) == chain.wallet_get_or_create(user=charlie).address
    assert Passport.objects.get(pk=first.pk).owner == buyer
    assert sorted(DeliveryHandover.objects.values_list("state", flat=True)) == ["delivered", "delivered"]
    assert balance(buyer) == FUNDS and audit()["ok"]  # test-mode payments: the wallet is untouched


def test_a_refund_before_delivery_transfers_nothing_and_frees_the_unit(
    alice, buyer, pot, passports, django_capture_on_commit_callbacks
):
    owner = _api(alice)
    first, _second = passports
    # given bob's pot shipped with the first serial
    order = _buy(_api(buyer), pot, "pot-1")
    assert _ship(owner, order, [SERIALS[0]]).status_code == 200
    # when the partner refunds the whole order before it arrives
    with django_capture_on_commit_callbacks(execute=True):
        refunded = owner.post(
            f"{API}/orders/{order['id']}/refund",
            {"amount": PRICE, "reason": "배송 중 분실"},
            headers={"Idempotency-Key": "lost-1"},
        )
    assert refunded.status_code == 200 and refunded.json()["status"] == "refunded"
    # then it can't be delivered any more, and no ownership moved
    late = owner.post(f"{API}/orders/{order['id']}/deliver")
    assert late.status_code == 409 and late.json()["code"] == "invalid_order_state"
    assert (late.json()["status"], late.json()["order_status"]) == (409, "refunded")
    settle()
    assert Passport.objects.get(pk=first.pk).owner is None
    assert _holder(first.token_id) == chain.passport_custody_address()
    assert DeliveryHandover.objects.get().state == "released"
    # and the unit is free for the next order
    charlie = _shopper("charlie@example.com", "찰리")
    again = _buy(_api(charlie), pot, "pot-2")
    assert _ship(owner, again, [SERIALS[0]]).status_code == 200
    assert audit()["ok"]


def test_shipping_without_or_with_wrong_serials_is_refused_and_changes_nothing(alice, buyer, charlie, pot, passports):
    owner = _api(alice)
    order = _buy(_api(buyer), pot, "pot-1")
    cases = [
        ([], 422, "serials_required"),
        (["NO-SUCH-SERIAL"], 422, "unknown_serial"),
        ([SERIALS[0], SERIALS[1]], 422, "invalid_field"),  # more serials than units
    ]
    for serials, status, code in cases:
        response = _ship(owner, order, serials)
        assert (response.status_code, response.json()["code"]) == (status, code), serials
        assert response.json()["field"] == "serials"
    # another user can't ship it at all
    stranger = _ship(_api(charlie), order, [SERIALS[0]])
    assert stranger.status_code == 404
    row = Order.objects.get(public_id=order["id"])
    assert (row.status, row.courier, row.lines.get().serials) == ("paid", "", [])
    assert not DeliveryHandover.objects.exists()
    assert not Passport.objects.filter(owner__isnull=False).exists()


def test_a_product_may_carry_passports_only_of_a_verified_brand_linked_to_its_channel(
    alice, store, brand, operator, bob
):
    owner = _api(alice)
    body = {
        "title": "가짜 명품 항아리",
        "status": "public",
        "authenticity_enabled": True,
        "variants": [{"sku": "FAKE-1", "price": 1_000, "stock": 1}],
    }
    # a brand that sells through another channel (bob's), an unknown brand, or none at all
    authenticity.brand_create(owner=bob, name="밥 공방", slug="bob-studio")
    authenticity.brand_verify(actor=operator, slug="bob-studio")
    for brand_slug, code in (("bob-studio", "brand_not_linked"), ("no-such", "brand_not_linked"), ("", None)):
        response = owner.post(f"{API}/stores/{store.public_id}/products", {**body, "authenticity_brand": brand_slug})
        assert response.status_code == 422
        assert response.json()["code"] == (code or "authenticity_brand_required")
        assert response.json()["field"] == "authenticity_brand"
    assert not Product.objects.exists()
    # once the brand loses its badge, its products can't be (re)flagged either
    ok = owner.post(f"{API}/stores/{store.public_id}/products", {**body, "authenticity_brand": brand.slug})
    assert ok.status_code == 201
    authenticity.brand_verify(actor=operator, slug=brand.slug, verified=False)
    patch = owner.patch(f"{API}/products/{ok.json()['id']}", {"authenticity_brand": brand.slug})
    assert patch.status_code == 422 and patch.json()["code"] == "brand_not_linked"
