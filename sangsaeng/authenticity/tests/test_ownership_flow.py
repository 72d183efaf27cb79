"""Claim, resale and a stolen report end to end on the embedded chain, and the brand's recovery."""

from __future__ import annotations

import pytest
from django.test import Client

from sangsaeng.authenticity import selectors, services
from sangsaeng.authenticity.models import Passport
from sangsaeng.authenticity.tests.conftest import settle
from sangsaeng.chain import selectors as chain_selectors
from sangsaeng.chain import services as chain
from sangsaeng.chain.gateway import contract_at
from sangsaeng.chain.models import ChainTransaction
from sangsaeng.core.errors import Problem

pytestmark = pytest.mark.django_db(transaction=True)


def _holder(token_id: int) -> str:
    return (
        contract_at("ProductPassport", chain_selectors.contract_get(name="ProductPassport").address)
        .functions.ownerOf(token_id)
        .call()
    )


def test_claim_resale_and_stolen_report_end_to_end(issued, alice, bob):
    passport, secret = issued
    charlie_client = Client()
    qr = selectors.passport_qr_code(passport=passport)
    # given the mint is on chain, held in custody
    settle()
    assert _holder(passport.token_id) == chain.passport_custody_address()
    # when bob claims it with the printed passphrase (lower case, no dashes still work)
    services.passport_claim(actor=bob, token_id=passport.token_id, secret=secret.lower().replace("-", ""), consent=True)
    settle()
    # then the chain moved it into bob's custodial wallet and the brand sees bob as a customer
    assert _holder(passport.token_id) == chain.wallet_get_or_create(user=bob).address
    assert [c["email"] for c in selectors.brand_customers(brand=passport.brand)] == ["bob@example.com"]
    # when bob resells it to alice by e-mail
    services.passport_transfer_to_user(actor=bob, token_id=passport.token_id, email="alice@example.com")
    settle()
    # then alice holds it on chain, and bob's consent did not carry over
    assert _holder(passport.token_id) == chain.wallet_get_or_create(user=alice).address
    passport.refresh_from_db()
    assert passport.owner == alice and passport.owner_consent is False
    assert selectors.brand_customers(brand=passport.brand) == []
    # when alice reports it stolen
    services.passport_report(actor=alice, token_id=passport.token_id, state="stolen")
    # then the public page warns, shows the history, and says it has an owner, never who
    page = charlie_client.get(f"/authenticity/t/{qr}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-verdict="reported_stolen"' in html
    assert "alice@example.com" not in html and "bob@example.com" not in html
    kinds = [e["kind"] for e in selectors.passport_public(passport)["history"]]
    assert kinds == ["issued", "claimed", "transferred", "reported_stolen"]
    history = chain_selectors.token_history(contract_name="ProductPassport", token_id=passport.token_id)
    assert len(history) == 3  # mint, claim, resale


def test_an_owner_sends_it_to_an_external_wallet(issued, bob):
    passport, secret = issued
    services.passport_claim(actor=bob, token_id=passport.token_id, secret=secret)
    settle()
    target = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    services.passport_transfer_to_address(actor=bob, token_id=passport.token_id, address=target)
    settle()
    assert _holder(passport.token_id) == target
    public = selectors.passport_public(Passport.objects.get(pk=passport.pk))
    assert public["registered"] is True and public["held_externally"] is True


def test_a_bad_checksum_address_is_refused_and_nothing_moves(issued, bob):
    passport, secret = issued
    services.passport_claim(actor=bob, token_id=passport.token_id, secret=secret)
    settle()
    with pytest.raises(Problem) as exc:
        services.passport_transfer_to_address(
            actor=bob, token_id=passport.token_id, address="0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"
        )
    assert exc.value.code == "invalid_address"
    passport.refresh_from_db()
    assert passport.owner == bob and passport.external_address == ""


def test_a_transfer_waits_until_the_claim_is_on_chain(issued, bob):
    passport, secret = issued
    claimed = services.passport_claim(actor=bob, token_id=passport.token_id, secret=secret)
    # given the claim's transaction is still in flight (the test worker would have finished it)
    ChainTransaction.objects.filter(idempotency_key=claimed.last_move_key).update(status="sent")
    with pytest.raises(Problem) as exc:
        services.passport_transfer_to_user(actor=bob, token_id=passport.token_id, email="alice@example.com")
    assert exc.value.code == "passport_move_pending" and exc.value.status == 409


def test_the_brand_recovers_a_passport_within_the_window_with_a_new_passphrase(issued, alice, bob):
    passport, secret = issued
    services.passport_claim(actor=bob, token_id=passport.token_id, secret=secret)
    settle()
    recovered, new_secret = services.passport_recover(actor=alice, slug=passport.brand.slug, token_id=passport.token_id)
    settle()
    assert _holder(passport.token_id) == chain.passport_custody_address()
    assert recovered.owner is None and new_secret != secret
    with pytest.raises(Problem) as exc:
        services.passport_claim(actor=bob, token_id=passport.token_id, secret=secret)
    assert exc.value.code == "not_authentic"
    services.passport_claim(actor=bob, token_id=passport.token_id, secret=new_secret)


def test_recovery_after_the_window_is_refused(issued, alice, bob, settings):
    passport, secret = issued
    services.passport_claim(actor=bob, token_id=passport.token_id, secret=secret)
    settings.AUTHENTICITY_RECOVERY_DAYS = 0
    with pytest.raises(Problem) as exc:
        services.passport_recover(actor=alice, slug=passport.brand.slug, token_id=passport.token_id)
    assert exc.value.code == "recovery_window_closed"
    passport.refresh_from_db()
    assert passport.owner == bob
