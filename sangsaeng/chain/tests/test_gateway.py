"""The gateway against both nodes: JSON-RPC basics, idempotent deploys, outbox mints, reverts, indexing."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from hexbytes import HexBytes
from web3 import Web3
from web3.types import Wei

from sangsaeng.chain import selectors, services
from sangsaeng.chain.deploy import contracts_deploy
from sangsaeng.chain.gateway import chain_web3, contract_at
from sangsaeng.chain.indexer import TRANSFER_TOPIC
from sangsaeng.chain.models import ChainTransaction, DeployedContract
from sangsaeng.chain.relayer import relayer_account
from sangsaeng.chain.tests.conftest import settle
from sangsaeng.chain.withdrawals import shares_permit_transfer
from sangsaeng.core.errors import Problem
from sangsaeng.core.models import OutboxEvent

pytestmark = pytest.mark.django_db
Status = ChainTransaction.Status


def test_the_node_answers_the_json_rpc_methods_web3_uses(chain_url):
    # given
    w3 = chain_web3()
    relayer = relayer_account()
    stranger = Account.create().address
    # when a raw value transfer is sent with explicit gas
    nonce = w3.eth.get_transaction_count(relayer.address, "pending")
    signed = relayer.sign_transaction(
        {
            "to": stranger,
            "value": Wei(12345),
            "gas": 21_000,
            "gasPrice": w3.eth.gas_price,
            "nonce": nonce,
            "chainId": w3.eth.chain_id,
        }
    )
    tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=10)
    # then
    assert receipt["status"] == 1
    assert w3.eth.get_balance(stranger) == 12345
    assert w3.eth.get_transaction_count(relayer.address) == nonce + 1
    assert w3.eth.block_number >= receipt["blockNumber"]
    block = w3.eth.get_block(receipt["blockNumber"])
    assert HexBytes(tx_hash) in block["transactions"]
    assert w3.eth.get_block(block["hash"])["number"] == block["number"]
    assert w3.eth.estimate_gas({"from": relayer.address, "to": stranger, "value": Wei(1)}) == 21_000
    assert w3.net.version == str(w3.eth.chain_id)


def test_deploy_is_idempotent(chain_url):
    # given
    first = contracts_deploy()
    # when
    second = contracts_deploy()
    # then
    assert first == second
    assert set(first) == {"ProductPassport", "ArtworkEditions", "ContributionShares"}
    assert ChainTransaction.objects.filter(operation="contract.deploy").count() == 3
    assert DeployedContract.objects.count() == 3
    assert contract_at("ContributionShares", first["ContributionShares"]).functions.symbol().call() == "SSSH"


def test_a_mint_is_sent_once_confirmed_and_indexed(chain_url, deployed, alice):
    # given
    tx = services.shares_mint(idempotency_key="contribution-1", owner=alice, amount=7 * 10**18)
    again = services.shares_mint(idempotency_key="contribution-1", owner=alice, amount=7 * 10**18)
    # when
    settle()
    # then
    tx.refresh_from_db()
    assert again.pk == tx.pk
    assert tx.status == Status.CONFIRMED
    assert tx.gas_used and tx.gas_used < tx.gas
    assert tx.raw_transaction.startswith("0x02")  # EIP-1559: pays base fee + tip, capped at 2x base fee
    wallet = services.wallet_get_or_create(user=alice)
    shares = contract_at("ContributionShares", deployed["ContributionShares"])
    assert shares.functions.balanceOf(wallet.address).call() == 7 * 10**18
    assert shares.functions.totalSupply().call() == 7 * 10**18
    assert OutboxEvent.objects.filter(
        name="chain_transaction_confirmed", payload__idempotency_key="contribution-1"
    ).exists()


def test_a_passport_issue_is_indexed_into_the_token_history(chain_url, deployed, alice):
    # given
    services.passport_issue(
        idempotency_key="passport-1", brand="brand-a", owner=alice, token_id=77, metadata_hash=b"\x01" * 32
    )
    # when
    settle()
    # then
    wallet = services.wallet_get_or_create(user=alice)
    history = selectors.token_history(contract_name="ProductPassport", token_id=77)
    assert [(row.from_address, row.to_address) for row in history] == [("0x" + "0" * 40, wallet.address)]
    assert selectors.token_owner_indexed(contract_name="ProductPassport", token_id=77) == wallet.address
    passport = contract_at("ProductPassport", deployed["ProductPassport"])
    assert passport.functions.metadata_hash(77).call() == b"\x01" * 32
    # and eth_getLogs filters by any topic position and by block hash
    w3 = chain_web3()
    token_topic = HexBytes((77).to_bytes(32, "big"))
    by_token = w3.eth.get_logs(
        {"fromBlock": 0, "address": passport.address, "topics": [TRANSFER_TOPIC, None, None, token_topic]}
    )
    assert len(by_token) == 1
    assert w3.eth.get_logs({"blockHash": by_token[0]["blockHash"], "address": passport.address}) != []
    other_token = HexBytes((78).to_bytes(32, "big"))
    assert w3.eth.get_logs({"fromBlock": 0, "topics": [TRANSFER_TOPIC, None, None, other_token]}) == []


def test_a_reverted_transaction_records_its_reason(chain_url, deployed, alice, bob):
    # given a drop of one edition
    services.edition_drop_create(idempotency_key="drop-1", cap=1, royalty_receiver="0x" + "ab" * 20, royalty_bps=500)
    settle()
    # when two editions are minted into it
    tx = services.editions_mint(idempotency_key="mint-1", drop_id=1, owners=[alice, bob])
    settle()
    # then
    tx.refresh_from_db()
    assert tx.status == Status.REVERTED
    assert tx.revert_reason == "editions: drop supply cap reached"
    event = OutboxEvent.objects.get(name="chain_transaction_reverted", payload__idempotency_key="mint-1")
    assert event.payload["revert_reason"] == "editions: drop supply cap reached"
    editions = contract_at("ArtworkEditions", deployed["ArtworkEditions"])
    assert editions.functions.totalSupply().call() == 0


def test_withdraw_moves_an_nft_to_the_linked_address_with_the_relayer_paying(chain_url, deployed, alice):
    # given a passport in alice's custodial wallet and a linked address
    services.passport_issue(
        idempotency_key="passport-2", brand="brand-a", owner=alice, token_id=5, metadata_hash=b"\x02" * 32
    )
    settle()
    external = Account.create()
    wallet, message = services.wallet_link_challenge(user=alice)
    from eth_account.messages import encode_defunct

    signature = external.sign_message(encode_defunct(text=message)).signature.hex()
    services.wallet_link(user=alice, address=external.address, signature="0x" + signature)
    # when
    tx = services.token_withdraw(user=alice, contract_name="ProductPassport", token_id=5, idempotency_key="w-1")
    settle()
    # then
    tx.refresh_from_db()
    assert tx.status == Status.CONFIRMED
    passport = contract_at("ProductPassport", deployed["ProductPassport"])
    assert passport.functions.ownerOf(5).call() == external.address
    assert chain_web3().eth.get_balance(Web3.to_checksum_address(wallet.address)) == 0
    assert selectors.token_owner_indexed(contract_name="ProductPassport", token_id=5) == external.address


def test_withdraw_moves_shares_to_the_linked_address(chain_url, deployed, alice):
    # given shares in alice's custodial wallet and a linked address
    services.shares_mint(idempotency_key="earned", owner=alice, amount=5 * 10**18)
    settle()
    external = Account.create()
    _wallet, message = services.wallet_link_challenge(user=alice)
    signature = "0x" + external.sign_message(encode_defunct(text=message)).signature.hex()
    services.wallet_link(user=alice, address=external.address, signature=signature)
    # when
    tx = services.shares_withdraw(user=alice, amount=2 * 10**18, idempotency_key="cash-out")
    settle()
    # then
    tx.refresh_from_db()
    assert tx.status == Status.CONFIRMED
    shares = contract_at("ContributionShares", deployed["ContributionShares"])
    assert shares.functions.balanceOf(external.address).call() == 2 * 10**18
    assert shares.functions.balanceOf(_wallet.address).call() == 3 * 10**18


def test_frozen_shares_cannot_leave_the_wallet(chain_url, deployed, alice):
    # given alice holds 5 shares, 3 of them frozen through the outbox, and a linked address
    services.shares_mint(idempotency_key="earned-f", owner=alice, amount=5 * 10**18)
    freeze = services.shares_freeze(idempotency_key="frozen-f", owner=alice, amount=3 * 10**18)
    settle()
    freeze.refresh_from_db()
    assert freeze.status == Status.CONFIRMED
    wallet = services.wallet_get_or_create(user=alice)
    shares = contract_at("ContributionShares", deployed["ContributionShares"])
    assert shares.functions.frozenOf(wallet.address).call() == 3 * 10**18
    external = Account.create()
    _wallet, message = services.wallet_link_challenge(user=alice)
    signature = "0x" + external.sign_message(encode_defunct(text=message)).signature.hex()
    services.wallet_link(user=alice, address=external.address, signature=signature)
    # when the holder asks to move more than the unfrozen 2: refused before anything is queued
    queued = ChainTransaction.objects.count()
    with pytest.raises(Problem) as exc:
        services.shares_withdraw(user=alice, amount=3 * 10**18, idempotency_key="too-much")
    assert exc.value.code == "shares_frozen" and ChainTransaction.objects.count() == queued
    # and the contract itself reverts a transfer of frozen shares signed by the holder
    forced = shares_permit_transfer(user=alice, wallet=wallet, amount=3 * 10**18, target=external.address, key="forced")
    settle()
    forced.refresh_from_db()
    assert forced.status == Status.REVERTED and "shares: amount is frozen" in forced.revert_reason
    # then the unfrozen part still moves
    tx = services.shares_withdraw(user=alice, amount=2 * 10**18, idempotency_key="the-rest")
    settle()
    tx.refresh_from_db()
    assert tx.status == Status.CONFIRMED
    assert shares.functions.balanceOf(external.address).call() == 2 * 10**18
    assert shares.functions.balanceOf(wallet.address).call() == 3 * 10**18
    holding = selectors.shares_holdings(user_ids=[alice.pk])[alice.pk]
    assert (holding.balance, holding.frozen, holding.linked_balance, holding.total) == (
        3 * 10**18,
        3 * 10**18,
        2 * 10**18,
        5 * 10**18,
    )
