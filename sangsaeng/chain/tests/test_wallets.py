"""Custodial wallets: made once, sealed at rest, exported after re-authentication, linked by EIP-191."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from conftest import PASSWORD
from sangsaeng.chain import services, wallets
from sangsaeng.chain.models import Wallet
from sangsaeng.core.audit import audit_list

pytestmark = pytest.mark.django_db


def _sign(account, message: str) -> str:
    return "0x" + account.sign_message(encode_defunct(text=message)).signature.hex()


def test_a_wallet_is_made_once_and_its_key_is_sealed(alice):
    # when
    first = services.wallet_get_or_create(user=alice)
    second = services.wallet_get_or_create(user=alice)
    # then
    assert first.pk == second.pk
    assert Wallet.objects.filter(user=alice).count() == 1
    assert first.encrypted_key.startswith("v1.")
    key = wallets.wallet_private_key(wallet=first)
    assert Account.from_key(key).address == first.address
    assert key.removeprefix("0x") not in first.encrypted_key


def test_export_needs_the_password_again(api_alice, alice):
    # given
    address = api_alice.get("/api/v1/chain/wallet").json()["address"]
    # when a wrong password is given
    refused = api_alice.post("/api/v1/chain/wallet/export", data={"password": "wrong-password-here"})
    # then
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "reauthentication_failed"
    assert Wallet.objects.get(user=alice).exported_at is None
    # when the right one is given
    response = api_alice.post("/api/v1/chain/wallet/export", data={"password": PASSWORD})
    # then the key is the wallet's
    assert response.status_code == 200
    assert Account.from_key(response.json()["private_key"]).address == address
    assert "chain.wallet_exported" in [event.action for event in audit_list(actor=alice)]


def test_linking_needs_the_addresss_own_signature(api_alice, alice):
    # given
    wallet = api_alice.get("/api/v1/chain/wallet").json()
    external, impostor = Account.create(), Account.create()
    # when someone else signed
    bad = api_alice.post(
        "/api/v1/chain/wallet/link",
        data={"address": external.address, "signature": _sign(impostor, wallet["link_message"])},
    )
    # then
    assert bad.status_code == 400
    assert bad.json()["code"] == "bad_signature"
    assert Wallet.objects.get(user=alice).linked_address == ""
    # when the address signed
    good = api_alice.post(
        "/api/v1/chain/wallet/link",
        data={"address": external.address, "signature": _sign(external, wallet["link_message"])},
    )
    # then
    assert good.status_code == 200
    assert good.json()["linked_address"] == external.address
    assert good.json()["link_message"] != wallet["link_message"]  # the challenge is single-use


def test_a_replayed_link_signature_is_refused(api_alice):
    message = api_alice.get("/api/v1/chain/wallet").json()["link_message"]
    external = Account.create()
    signature = _sign(external, message)
    assert (
        api_alice.post(
            "/api/v1/chain/wallet/link", data={"address": external.address, "signature": signature}
        ).status_code
        == 200
    )
    replay = api_alice.post("/api/v1/chain/wallet/link", data={"address": external.address, "signature": signature})
    assert replay.status_code == 400


@pytest.mark.parametrize(
    "address", ["0x123", "not-an-address", "0x" + "g" * 40, "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"]
)
def test_a_malformed_address_is_a_422(api_alice, address):
    response = api_alice.post("/api/v1/chain/wallet/link", data={"address": address, "signature": "0x00"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_address"
    assert response.json()["field"] == "address"


def test_a_garbled_signature_is_a_400(api_alice):
    response = api_alice.post(
        "/api/v1/chain/wallet/link", data={"address": Account.create().address, "signature": "0xdeadbeef"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_signature"


def test_the_wallet_api_needs_a_signed_in_user(anon_api):
    assert anon_api.get("/api/v1/chain/wallet").status_code == 401
