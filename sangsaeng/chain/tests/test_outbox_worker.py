"""The outbox worker on the embedded node: confirmations, refusals that free their nonce, the relayer lease."""

from __future__ import annotations

import time

import pytest

from sangsaeng.chain import services
from sangsaeng.chain.gateway import chain_id, chain_web3, contract_at, encode_call
from sangsaeng.chain.models import ChainTransaction, DeployedContract
from sangsaeng.chain.registry import contract_address
from sangsaeng.chain.relayer import relayer_account
from sangsaeng.chain.tests.conftest import rpc
from sangsaeng.chain.transactions import transaction_enqueue
from sangsaeng.chain.worker import lease_acquire, lease_release, transactions_process

pytestmark = pytest.mark.django_db
Status = ChainTransaction.Status


@pytest.fixture
def deployed_on_anvil(settings, anvil_node, db):
    from sangsaeng.chain.deploy import contracts_deploy
    from sangsaeng.chain.relayer import relayer_account

    settings.CHAIN_RPC_URL = anvil_node
    rpc(anvil_node, "anvil_setBalance", [relayer_account().address, hex(10**24)])
    return contracts_deploy()


def test_a_transaction_waits_for_its_confirmations(settings, embedded, deployed, alice):
    # given two confirmations required
    settings.CHAIN_CONFIRMATIONS = 2
    first = services.shares_mint(idempotency_key="c-1", owner=alice, amount=1)
    # when it is mined
    services.chain_sweep()
    first.refresh_from_db()
    # then it is not final yet
    assert first.status == Status.MINED
    # when another block lands on top
    services.shares_mint(idempotency_key="c-2", owner=alice, amount=1)
    services.chain_sweep()
    first.refresh_from_db()
    # then
    assert first.status == Status.CONFIRMED


def test_a_refused_transaction_fails_and_gives_its_nonce_to_the_next(embedded, deployed, alice):
    # given a transaction with less gas than any transaction needs, then a good one
    wallet = services.wallet_get_or_create(user=alice)
    start = chain_web3().eth.get_transaction_count(relayer_account().address)
    bad = transaction_enqueue(
        idempotency_key="too-little-gas",
        operation="ContributionShares.mint",
        to_address=contract_address("ContributionShares"),
        data=encode_call("ContributionShares", "mint", [wallet.address, 1]),
        gas=20_000,
    )
    good = services.shares_mint(idempotency_key="fine", owner=alice, amount=1)
    # when
    transactions_process()
    transactions_process()
    # then
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Status.FAILED, bad.last_error
    assert bad.nonce is None
    assert "gas" in bad.last_error.lower()
    assert good.status == Status.CONFIRMED
    assert good.nonce == start


def test_only_the_lease_holder_sends(embedded, deployed, alice):
    # given another worker holds the relayer lease
    assert lease_acquire(chain=chain_id(), holder="other-worker")
    tx = services.shares_mint(idempotency_key="leased", owner=alice, amount=1)
    # when
    stats = transactions_process()
    # then nothing was sent
    tx.refresh_from_db()
    assert stats["locked"] == 1
    assert tx.status == Status.QUEUED
    # when the lease is given back
    lease_release(chain=chain_id(), holder="other-worker")
    transactions_process()
    tx.refresh_from_db()
    assert tx.status == Status.CONFIRMED


def test_a_pass_that_outlived_its_lease_never_signs_a_row_another_worker_sent(monkeypatch, embedded, deployed, alice):
    # given a queued mint, and a pass slow enough that its lease runs out after it read the queue
    # (test_crash found this: one intent mined twice, at two nonces, after a node restart)
    from sangsaeng.chain import worker

    tx = services.shares_mint(idempotency_key="raced", owner=alice, amount=5)
    start = chain_web3().eth.get_transaction_count(relayer_account().address)
    real_fee_fields = worker.fee_fields
    other: dict[str, dict[str, int]] = {}

    def another_worker_meanwhile(w3):
        if not other:
            # the lease ran out: another worker's whole pass sends the same row
            other["stats"] = {}
            other["stats"] = worker.transactions_process()
        return real_fee_fields(w3)

    monkeypatch.setattr(worker, "fee_fields", another_worker_meanwhile)
    # when the slow pass goes on after the other worker's pass
    stats = worker.transactions_process()
    # then the row was sent once, by the other worker, and the slow pass stopped instead of signing it again
    tx.refresh_from_db()
    assert other["stats"]["sent"] == 1 and stats["sent"] == 0 and stats["locked"] == 1
    assert tx.nonce == start
    assert chain_web3().eth.get_transaction_count(relayer_account().address) == start + 1
    worker.transactions_process()
    tx.refresh_from_db()
    assert tx.status == Status.CONFIRMED
    wallet = services.wallet_get_or_create(user=alice)
    shares = contract_at("ContributionShares", deployed["ContributionShares"])
    assert shares.functions.balanceOf(wallet.address).call() == 5


def test_the_worker_deploys_the_contracts_on_the_embedded_node(settings, embedded_node, db):
    # given the embedded mode: no CHAIN_RPC_URL, the node on CHAIN_NODE_PORT
    settings.CHAIN_RPC_URL = ""
    settings.CHAIN_NODE_PORT = int(embedded_node.rsplit(":", 1)[1])
    # when the periodic job runs on an empty registry
    services.chain_sweep()
    # then our contracts are there
    assert sorted(DeployedContract.objects.values_list("name", flat=True)) == [
        "ArtworkEditions",
        "ContributionShares",
        "ProductPassport",
    ]


def test_a_reorganised_transaction_is_sent_again_and_mined_once(settings, anvil_node, deployed_on_anvil, alice):
    # given a mint that is mined but not yet confirmed (two confirmations required)
    settings.CHAIN_CONFIRMATIONS = 2
    snapshot = rpc(anvil_node, "evm_snapshot")["result"]
    tx = services.shares_mint(idempotency_key="reorged", owner=alice, amount=3)
    for _ in range(20):
        services.chain_sweep()
        tx.refresh_from_db()
        if tx.status != Status.QUEUED and tx.status != Status.SENT:
            break
        time.sleep(0.05)
    assert tx.status == Status.MINED
    first_block_hash = tx.block_hash
    # when the chain drops its block (a reorg) and grows on without it
    rpc(anvil_node, "evm_revert", [snapshot])
    for _ in range(6):
        rpc(anvil_node, "anvil_mine", ["0x1"])
        services.chain_sweep()
        tx.refresh_from_db()
        if tx.status == Status.CONFIRMED:
            break
    # then the same signed transaction went out again and was confirmed in another block, minting once
    assert tx.status == Status.CONFIRMED
    assert tx.block_hash != first_block_hash
    wallet = services.wallet_get_or_create(user=alice)
    assert (
        contract_at("ContributionShares", deployed_on_anvil["ContributionShares"])
        .functions.balanceOf(wallet.address)
        .call()
        == 3
    )
