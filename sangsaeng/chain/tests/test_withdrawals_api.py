"""Withdrawals through the API on the embedded node: refusals are problem+json, nothing is queued."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from sangsaeng.chain import services
from sangsaeng.chain.models import ChainTransaction

pytestmark = pytest.mark.django_db


def _link(user) -> str:
    external = Account.create()
    _wallet, message = services.wallet_link_challenge(user=user)
    signature = "0x" + external.sign_message(encode_defunct(text=message)).signature.hex()
    services.wallet_link(user=user, address=external.address, signature=signature)
    return external.address


@pytest.fixture
def bobs_passport(embedded, deployed, bob):
    services.passport_issue(
        idempotency_key="bob-passport", brand="brand-a", owner=bob, token_id=42, metadata_hash=b"\x09" * 32
    )
    services.chain_sweep()
    return 42


def test_withdrawing_a_token_i_do_not_own_is_a_403(api_alice, alice, bobs_passport):
    # given
    _link(alice)
    before = ChainTransaction.objects.count()
    # when
    response = api_alice.post(
        "/api/v1/chain/withdrawals", data={"contract": "ProductPassport", "token_id": 42, "idempotency_key": "k1"}
    )
    # then
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "token_not_owned"
    assert ChainTransaction.objects.count() == before


def test_withdrawing_a_token_that_does_not_exist_is_a_403(api_alice, alice, embedded, deployed):
    _link(alice)
    response = api_alice.post(
        "/api/v1/chain/withdrawals", data={"contract": "ArtworkEditions", "token_id": 999, "idempotency_key": "k2"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "token_not_owned"


def test_withdrawing_without_a_linked_address_is_a_409(api_bob, bobs_passport):
    response = api_bob.post(
        "/api/v1/chain/withdrawals", data={"contract": "ProductPassport", "token_id": 42, "idempotency_key": "k3"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "no_linked_address"


def test_a_withdrawal_is_queued_once_per_idempotency_key(api_bob, bob, bobs_passport):
    # given
    target = _link(bob)
    body = {"contract": "ProductPassport", "token_id": 42, "idempotency_key": "k4"}
    # when
    first = api_bob.post("/api/v1/chain/withdrawals", data=body)
    second = api_bob.post("/api/v1/chain/withdrawals", data=body)
    services.chain_sweep()
    # then
    assert first.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    assert ChainTransaction.objects.filter(operation__startswith="ProductPassport.withdraw").count() == 2
    status = api_bob.get(f"/api/v1/chain/transactions/{first.json()['id']}").json()
    assert status["status"] == "confirmed"
    token = api_bob.get("/api/v1/chain/tokens/ProductPassport/42").json()
    assert token["owner"] == target
    assert len(token["history"]) == 2


def test_withdrawing_more_shares_than_held_is_a_403(api_alice, alice, embedded, deployed):
    _link(alice)
    response = api_alice.post("/api/v1/chain/withdrawals/shares", data={"amount": 5, "idempotency_key": "k5"})
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_shares"
