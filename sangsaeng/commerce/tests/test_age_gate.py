"""An age-restricted product: checkout needs an over-19 presentation disclosing only that boolean."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sangsaeng.commerce import services
from sangsaeng.commerce.models import Order, Variant
from sangsaeng.commerce.tests.conftest import FUNDS, balance, buy
from sangsaeng.core.errors import Problem
from sangsaeng.identity import services as identity


@pytest.fixture
def wine(alice, store):
    product = services.product_create(
        actor=alice,
        store_id=store.public_id,
        data={
            "title": "제주 감귤 와인",
            "status": "public",
            "age_restricted": True,
            "variants": [{"sku": "WINE-750", "price": 32_000, "stock": 5}],
        },
    )
    return product.variants.get()


def _proof(user, store, disclose=("is_over_19",)):
    challenge = services.age_challenge(store=store)
    presentation = identity.presentation_create(
        actor=user, disclose=list(disclose), nonce=challenge["nonce"], audience=challenge["audience"]
    )
    return {"nonce": challenge["nonce"], "presentation": presentation}


def _adult(user, birthdate=date(1990, 5, 17)):
    identity.identity_approve_in_person(user=user, legal_name="김밥", birthdate=birthdate)
    identity.credential_issue(user=user)


def _nothing_happened(buyer, wine):
    assert Variant.objects.get(pk=wine.pk).stock == 5
    assert balance(buyer) == FUNDS and not Order.objects.exists()


def test_without_a_presentation_checkout_is_refused(buyer, store, wine):
    with pytest.raises(Problem) as refused:
        buy(buyer, store, wine)
    assert refused.value.code == "age_verification_required" and refused.value.status == 403
    _nothing_happened(buyer, wine)


def test_a_forged_or_minor_presentation_is_refused(buyer, store, wine):
    with pytest.raises(Problem):
        buy(
            buyer,
            store,
            wine,
            age_proof={"nonce": services.age_challenge(store=store)["nonce"], "presentation": "e30.e30.sig~"},
        )
    _adult(buyer, birthdate=timezone.localdate() - timedelta(days=365 * 17))
    with pytest.raises(Problem) as refused:
        buy(buyer, store, wine, age_proof=_proof(buyer, store))
    assert refused.value.code == "age_verification_required"
    _nothing_happened(buyer, wine)


def test_a_presentation_revealing_more_than_needed_is_refused(buyer, store, wine):
    _adult(buyer)
    with pytest.raises(Problem) as refused:
        buy(buyer, store, wine, age_proof=_proof(buyer, store, disclose=("is_over_19", "birthdate")))
    assert refused.value.code == "age_verification_required"
    _nothing_happened(buyer, wine)


def test_an_adults_presentation_lets_checkout_proceed_once(buyer, store, wine):
    _adult(buyer)
    proof = _proof(buyer, store)
    order = buy(buyer, store, wine, age_proof=proof)
    assert order.status == Order.Status.PAID and balance(buyer) == FUNDS - 32_000
    # the nonce was spent: replaying the same presentation at another checkout is refused
    with pytest.raises(Problem) as refused:
        buy(buyer, store, wine, key="again", age_proof=proof)
    assert refused.value.code == "age_verification_required"
