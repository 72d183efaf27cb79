"""The embedded node keeps its chain across a clean restart and across kill -9."""

from __future__ import annotations

import signal

import pytest
from eth_account import Account
from web3 import Web3

from sangsaeng.chain.relayer import TEST_RELAYER_KEY
from sangsaeng.chain.tests.conftest import free_port, start_embedded, stop

# The PostgreSQL pass leaves this out as an exact repeat: only the embedded node, no database.
pytestmark = pytest.mark.backend_free


def _send_value(w3: Web3, to: str, value: int) -> int:
    relayer = Account.from_key(TEST_RELAYER_KEY)
    signed = relayer.sign_transaction(
        {
            "to": to,
            "value": value,
            "gas": 21_000,
            "gasPrice": w3.eth.gas_price,
            "nonce": w3.eth.get_transaction_count(relayer.address),
            "chainId": w3.eth.chain_id,
        }
    )
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction), timeout=10)
    return int(receipt["blockNumber"])


def test_the_chain_survives_a_restart_and_kill_9(tmp_path):
    # given a node with one mined transaction
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_embedded(tmp_path, port)
    w3 = Web3(Web3.HTTPProvider(url))
    genesis = w3.eth.get_block(0)["hash"]
    stranger = Account.create().address
    first_block = _send_value(w3, stranger, 1_000)
    # when it is stopped cleanly and started again
    stop(proc)
    proc = start_embedded(tmp_path, port)
    # then the chain continues from its head
    assert w3.eth.block_number == first_block
    assert w3.eth.get_balance(stranger) == 1_000
    second_block = _send_value(w3, stranger, 10)
    assert second_block == first_block + 1
    # when it is killed with SIGKILL and started again
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc = start_embedded(tmp_path, port)
    try:
        # then nothing mined was lost and the genesis was not made again
        assert w3.eth.get_block(0)["hash"] == genesis
        assert w3.eth.block_number == second_block
        assert w3.eth.get_balance(stranger) == 1_010
        assert _send_value(w3, stranger, 1) == second_block + 1
    finally:
        stop(proc)
