"""Claims by passphrase and by fresh NFC read, refusals, and the store's delivery hand-over."""

from __future__ import annotations

import pytest

from sangsaeng.authenticity import services
from sangsaeng.authenticity.models import DeliveryHandover, Passport, ProvenanceEvent
from sangsaeng.authenticity.tests.conftest import ROW, settle
from sangsaeng.chain import services as chain
from sangsaeng.chain.gateway import contract_at
from sangsaeng.chain.selectors import contract_get
from sangsaeng.core.errors import Problem

pytestmark = pytest.mark.django_db


def test_a_wrong_passphrase_is_not_authentic_and_changes_nothing(issued, bob):
    passport, _ = issued
    with pytest.raises(Problem) as exc:
        services.passport_claim(actor=bob, token_id=passport.token_id, secret="AAAA-BBBB-CCCC-DDDD")
    assert (exc.value.code, exc.value.status) == ("not_authentic", 403)
    assert "정품 확인 불가" in exc.value.ko and "Not authentic" in exc.value.en
    passport.refresh_from_db()
    assert passport.owner is None


def test_an_already_claimed_passport_cannot_be_claimed_again(issued, alice, bob):
    passport, secret = issued
    services.passport_claim(actor=bob, token_id=passport.token_id, secret=secret)
    with pytest.raises(Problem) as exc:
        services.passport_claim(actor=alice, token_id=passport.token_id, secret=secret)
    assert exc.value.code == "already_claimed"
    passport.refresh_from_db()
    assert passport.owner == bob


def test_a_forged_sun_token_is_not_authentic(issued, bob):
    passport, _ = issued
    with pytest.raises(Problem) as exc:
        services.passport_claim(actor=bob, token_id=passport.token_id, sun_token="forged:token")
    assert exc.value.code == "not_authentic"


def test_unknown_token_ids_are_not_authentic_for_claims_and_404_for_owners(db, bob):
    with pytest.raises(Problem) as exc:
        services.passport_claim(actor=bob, token_id=123, secret="AAAA-BBBB-CCCC-DDDD")
    assert exc.value.code == "not_authentic"
    for token_id in (123, -1, 2**70):
        with pytest.raises(Problem) as exc:
            services.passport_report(actor=bob, token_id=token_id, state="stolen")
        assert exc.value.status == 404


def test_another_users_passport_is_404_and_unchanged(issued, alice, bob):
    passport, secret = issued
    services.passport_claim(actor=bob, token_id=passport.token_id, secret=secret)
    for call in (
        lambda: services.passport_report(actor=alice, token_id=passport.token_id, state="stolen"),
        lambda: services.passport_consent(actor=alice, token_id=passport.token_id, consent=True),
        lambda: services.passport_transfer_to_user(actor=alice, token_id=passport.token_id, email="alice@example.com"),
    ):
        with pytest.raises(Problem) as exc:
            call()
        assert exc.value.status == 404
    passport.refresh_from_db()
    assert (passport.owner, passport.state, passport.owner_consent) == (bob, "active", False)


def test_store_purchase_delivery_transfers_ownership_once_per_order(issued, brand, bob):
    # given a unit sold in the store and delivered to bob
    passport, _ = issued
    settle()
    # when the store reports the delivery, twice (a retried event)
    first = services.passport_transfer_on_delivery(serial=ROW["serial"], brand=brand.slug, buyer=bob, order_ref="ORD-1")
    second = services.passport_transfer_on_delivery(
        passport_id=passport.public_id, brand=brand.slug, buyer=bob, order_ref="ORD-1"
    )
    settle()
    # then bob owns it once, on chain too
    assert first.pk == second.pk == passport.pk
    assert Passport.objects.get(pk=passport.pk).owner == bob
    assert DeliveryHandover.objects.count() == 1
    assert ProvenanceEvent.objects.filter(passport=passport, kind="delivered").count() == 1
    token = contract_at("ProductPassport", contract_get(name="ProductPassport").address)
    assert token.functions.ownerOf(passport.token_id).call() == chain.wallet_get_or_create(user=bob).address


def test_delivery_of_a_unit_someone_else_owns_is_refused(issued, brand, alice, bob):
    passport, secret = issued
    services.passport_claim(actor=alice, token_id=passport.token_id, secret=secret)
    with pytest.raises(Problem) as exc:
        services.passport_transfer_on_delivery(passport_id=passport.token_id, brand=brand, buyer=bob, order_ref="O-2")
    assert exc.value.code == "already_claimed"
    assert DeliveryHandover.objects.count() == 0


def test_delivery_of_an_unknown_unit_or_brand_is_404(issued, brand, bob):
    for kwargs in (
        {"serial": "nope", "brand": brand.slug},
        {"serial": ROW["serial"], "brand": "no-brand"},
        {"passport_id": "not-a-uuid", "brand": brand.slug},
    ):
        with pytest.raises(Problem) as exc:
            services.passport_transfer_on_delivery(buyer=bob, order_ref="O-3", **kwargs)
        assert exc.value.status == 404
