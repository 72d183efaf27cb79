"""Explorer pages: a transaction's status with its revert reason, a token's history, read from the index."""

from __future__ import annotations

import pytest

from sangsaeng.chain import services

pytestmark = pytest.mark.django_db


def test_the_transaction_page_shows_a_revert_reason(client, embedded, deployed, alice):
    # given a transaction that reverted
    services.edition_drop_create(idempotency_key="drop", cap=1, royalty_receiver="0x" + "cd" * 20, royalty_bps=0)
    services.chain_sweep()
    tx = services.editions_mint(idempotency_key="too-many", drop_id=1, owners=[alice, alice])
    services.chain_sweep()
    # when
    response = client.get(f"/chain/tx/{tx.public_id}")
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "되돌려짐" in page
    assert "editions: drop supply cap reached" in page


def test_the_token_page_lists_the_history_from_the_index(client, embedded, deployed, alice):
    # given
    services.passport_issue(idempotency_key="p", brand="brand-a", owner=alice, token_id=11, metadata_hash=b"\x05" * 32)
    services.chain_sweep()
    wallet = services.wallet_get_or_create(user=alice)
    # when
    response = client.get("/chain/tokens/ProductPassport/11")
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "발행" in page
    assert wallet.address in page
    assert page.count('data-testid="history-row"') == 1


def test_an_unknown_token_or_transaction_is_a_404(client, embedded, deployed):
    assert client.get("/chain/tokens/ProductPassport/123456").status_code == 404
    assert client.get("/chain/tokens/Nope/1").status_code == 404
    assert client.get("/chain/tx/not-a-uuid").status_code == 404


def test_the_chain_home_lists_the_contracts_and_my_tokens(client, alice, embedded, deployed):
    # given a passport in alice's wallet
    services.passport_issue(idempotency_key="mine", brand="b", owner=alice, token_id=8, metadata_hash=b"\x08" * 32)
    services.chain_sweep()
    client.force_login(alice)
    # when
    response = client.get("/chain/")
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert deployed["ProductPassport"] in page
    assert 'href="/chain/tokens/ProductPassport/8"' in page


def test_the_pages_speak_english_too(client, embedded, deployed, alice):
    tx = services.shares_mint(idempotency_key="en", owner=alice, amount=1)
    services.chain_sweep()
    page = client.get(f"/chain/tx/{tx.public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Confirmed" in page
    assert "Transaction hash" in page


def test_the_chain_home_says_when_the_node_is_down(client, settings, db):
    from sangsaeng.chain.tests.conftest import free_port

    settings.CHAIN_RPC_URL = f"http://127.0.0.1:{free_port()}"
    response = client.get("/chain/")
    assert response.status_code == 200
    assert 'data-testid="chain-unreachable"' in response.content.decode()
