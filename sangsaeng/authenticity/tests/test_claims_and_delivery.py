"""Claims by passphrase and by fresh NFC read, refusals, and the store's delivery hand-over."""

from __future__ import annotations

import uuid

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


@pytest.fixture
def shop(brand, alice):
    """The brand sells through its own partner channel's store."""
    channel_id = uuid.uuid4()
    services.brand_link_channel(actor=alice, slug=brand.slug, partner_channel_id=channel_id)
    return channel_id


def test_store_delivery_transfers_ownership_once_per_unit(issued, brand, shop, bob):
    # given a unit sold in the store and delivered to bob
    passport, _ = issued
    settle()
    # when the store reports the delivery, twice (a retried event)
    first = services.passport_transfer_on_delivery(
        brand=brand.slug, channel_id=shop, serial=ROW["serial"], buyer=bob, order_ref="ORD-1"
    )
    second = services.passport_transfer_on_delivery(
        brand=brand.slug, channel_id=shop, serial=ROW["serial"], buyer=bob, order_ref="ORD-1"
    )
    settle()
    # then bob owns it once, on chain too
    assert first.pk == second.pk == passport.pk
    assert Passport.objects.get(pk=passport.pk).owner == bob
    assert DeliveryHandover.objects.get().state == "delivered"
    assert ProvenanceEvent.objects.filter(passport=passport, kind="delivered").count() == 1
    token = contract_at("ProductPassport", contract_get(name="ProductPassport").address)
    assert token.functions.ownerOf(passport.token_id).call() == chain.wallet_get_or_create(user=bob).address


def test_only_the_brands_own_verified_channel_sells_its_passports(issued, brand, shop, operator, bob):
    # a store on another channel, or any store once the brand loses its badge, is refused
    other = uuid.uuid4()
    for channel_id in (other, None):
        with pytest.raises(Problem) as exc:
            services.store_brand_check(slug=brand.slug, channel_id=channel_id)
        assert (exc.value.code, exc.value.field) == ("brand_not_linked", "authenticity_brand")
        with pytest.raises(Problem):
            services.passports_hold(brand=brand.slug, channel_id=channel_id, buyer=bob, units=[("u1", ROW["serial"])])
    with pytest.raises(Problem) as exc:
        services.passport_transfer_on_delivery(
            brand=brand.slug, channel_id=other, serial=ROW["serial"], buyer=bob, order_ref="O-1"
        )
    assert exc.value.code == "brand_not_linked"
    services.brand_verify(actor=operator, slug=brand.slug, verified=False)
    with pytest.raises(Problem) as exc:
        services.store_brand_check(slug=brand.slug, channel_id=shop)
    assert exc.value.code == "brand_not_linked"
    assert DeliveryHandover.objects.count() == 0
    assert Passport.objects.get(pk=issued[0].pk).owner is None


def test_a_held_unit_goes_to_its_order_only_and_a_release_frees_it(issued, brand, shop, alice, bob):
    passport, _ = issued
    services.passports_hold(brand=brand.slug, channel_id=shop, buyer=bob, units=[("bob-1", ROW["serial"])])
    # the same serial can't be shipped in a second order, nor delivered outside its hold
    with pytest.raises(Problem) as exc:
        services.passports_hold(brand=brand.slug, channel_id=shop, buyer=alice, units=[("alice-1", ROW["serial"])])
    assert (exc.value.code, exc.value.extra["serial"]) == ("serial_held", ROW["serial"])
    with pytest.raises(Problem) as exc:
        services.passport_transfer_on_delivery(
            brand=brand.slug, channel_id=shop, serial=ROW["serial"], buyer=alice, order_ref="alice-1"
        )
    assert exc.value.status == 404
    # when bob's order is refunded before delivery
    assert services.passports_release(brand=brand.slug, order_refs=["bob-1"]) == 1
    with pytest.raises(Problem) as exc:
        services.passport_transfer_on_delivery(
            brand=brand.slug, channel_id=shop, serial=ROW["serial"], buyer=bob, order_ref="bob-1"
        )
    assert exc.value.code == "handover_released"
    # then the unit is free for another order, and nobody owns it yet
    services.passports_hold(brand=brand.slug, channel_id=shop, buyer=alice, units=[("alice-1", ROW["serial"])])
    assert Passport.objects.get(pk=passport.pk).owner is None
    assert sorted(DeliveryHandover.objects.values_list("order_ref", "state")) == [
        ("alice-1", "held"),
        ("bob-1", "released"),
    ]


def test_bad_serials_are_refused_with_the_serial_and_nothing_is_held(issued, brand, shop, alice, bob):
    passport, secret = issued
    cases = [
        ([("u1", ROW["serial"]), ("u2", ROW["serial"])], "duplicate_serial"),
        ([("u1", ROW["serial"]), ("u2", "NO-SUCH-SERIAL")], "unknown_serial"),
        ([("", ROW["serial"])], "invalid_order_ref"),
    ]
    for units, code in cases:
        with pytest.raises(Problem) as exc:
            services.passports_hold(brand=brand.slug, channel_id=shop, buyer=bob, units=units)
        assert exc.value.code == code
    assert DeliveryHandover.objects.count() == 0
    services.passport_claim(actor=alice, token_id=passport.token_id, secret=secret)
    with pytest.raises(Problem) as exc:
        services.passports_hold(brand=brand.slug, channel_id=shop, buyer=bob, units=[("u1", ROW["serial"])])
    assert exc.value.code == "already_claimed"
    assert DeliveryHandover.objects.count() == 0


def test_delivery_of_a_unit_someone_else_owns_is_refused(issued, brand, shop, alice, bob):
    passport, secret = issued
    services.passport_claim(actor=alice, token_id=passport.token_id, secret=secret)
    with pytest.raises(Problem) as exc:
        services.passport_transfer_on_delivery(
            brand=brand.slug, channel_id=shop, serial=ROW["serial"], buyer=bob, order_ref="O-2"
        )
    assert exc.value.code == "already_claimed"
    assert DeliveryHandover.objects.count() == 0


def test_delivery_of_an_unknown_unit_or_brand_is_404(issued, brand, shop, bob):
    for brand_slug, serial in ((brand.slug, "nope"), ("no-brand", ROW["serial"])):
        with pytest.raises(Problem) as exc:
            services.passport_transfer_on_delivery(
                brand=brand_slug, channel_id=shop, serial=serial, buyer=bob, order_ref="O-3"
            )
        assert exc.value.status == 404
    assert DeliveryHandover.objects.count() == 0
