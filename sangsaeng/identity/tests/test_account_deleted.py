"""Deleting an account revokes its credentials for good and erases identity data and cards."""

from __future__ import annotations

from sangsaeng.accounts.services import user_delete
from sangsaeng.business_cards import services as card_services
from sangsaeng.business_cards.models import Card, CardBookEntry
from sangsaeng.identity import services
from sangsaeng.identity.models import Credential, HolderKey, VerifiedIdentity
from sangsaeng.identity.tests.conftest import AUDIENCE, NONCE


def test_a_deleted_accounts_credentials_are_revoked_and_its_cards_gone(
    verified_alice, bob, django_capture_on_commit_callbacks
):
    # given a credential already presented to a shop, and a card in Bob's card book
    services.credential_issue(user=verified_alice)
    presentation = services.presentation_create(
        actor=verified_alice, disclose=["is_over_19"], nonce=NONCE, audience=AUDIENCE
    )
    card = card_services.card_create(owner=verified_alice, data={"name": "김앨리스"})
    card_services.book_add(holder=bob, card_id=card.public_id)
    # when Alice deletes her account
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=verified_alice)
    # then the credential is revoked (its status bit stays set) and nothing personal is left
    credential = Credential.objects.get()
    assert (credential.revoked_reason, credential.token_encrypted) == ("account deleted", "")
    assert services.age_proof_verify(presentation=presentation, nonce=NONCE, audience=AUDIENCE) is False
    assert not VerifiedIdentity.objects.exists() and not HolderKey.objects.exists()
    assert not Card.objects.exists() and not CardBookEntry.objects.exists()
