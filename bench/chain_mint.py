"""`sangsaeng bench chain_mint`: mints through the outbox against a raw web3 send loop, and token reads
from the index against direct chain calls, all on one embedded node in the same run.

- Mints: N ERC-20 mints signed and sent one by one with web3.py (explicit gas, waiting for each
  receipt) are the baseline; N mints enqueued in the outbox and driven to `confirmed` by the
  worker (nonce bookkeeping, receipts, confirmations, events, indexing) are measured against it.
- Reads: what a token page needs (its owner and its transfer history) read from the indexed
  TokenTransfer rows, against the same read from the chain (`ownerOf` plus `eth_getLogs`).

Everything runs in child processes with their own var dir, database and chain, so a benchmark never
touches the platform's data.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import Any

NAME = "chain_mint"

MEASURE = r"""
import json, statistics, sys, time
import django
django.setup()
from django.test import Client
from eth_account import Account
from eth_utils import keccak
from web3 import Web3
from sangsaeng.chain import selectors, services
from sangsaeng.chain.deploy import contracts_deploy
from sangsaeng.chain.gateway import GAS, chain_web3, contract_at
from sangsaeng.chain.models import ChainTransaction, DeployedContract
from sangsaeng.chain.relayer import relayer_account
from sangsaeng.chain.transactions import contract_call_enqueue
from sangsaeng.chain.worker import chain_sweep
from sangsaeng.accounts.services import user_create
from bench.harness import record_samples

mints, reads = int(sys.argv[1]), int(sys.argv[2])
contracts = contracts_deploy()
w3 = chain_web3()
shares = contract_at("ContributionShares", contracts["ContributionShares"])
relayer = relayer_account()
targets = [Account.create().address for _ in range(mints)]

# baseline: a raw web3 send loop
nonce = w3.eth.get_transaction_count(relayer.address)
chain = w3.eth.chain_id
gas_price = w3.eth.gas_price
started = time.perf_counter()
for i, target in enumerate(targets):
    tx = shares.functions.mint(target, 1).build_transaction(
        {"from": relayer.address, "gas": GAS["ContributionShares.mint"], "gasPrice": gas_price,
         "nonce": nonce + i, "chainId": chain})
    signed = relayer.sign_transaction(tx)
    w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction), poll_latency=0.005)
raw_seconds = time.perf_counter() - started

# the outbox: enqueue, then the worker until every row is confirmed
started = time.perf_counter()
for i, target in enumerate(targets):
    contract_call_enqueue(idempotency_key=f"bench-{i}", operation="ContributionShares.mint",
                          contract_name="ContributionShares", function="mint", args=[target, 1])
while ChainTransaction.objects.filter(idempotency_key__startswith="bench-", status="confirmed").count() < mints:
    chain_sweep()
outbox_seconds = time.perf_counter() - started

# token reads: the index against the chain
user = user_create(email="bench@example.com", password="bench-password-2026", verified=True)
services.passport_issue(
    idempotency_key="bench-passport", brand="bench", owner=user, token_id=1, metadata_hash=b"\x01" * 32
)
chain_sweep()
passport = contract_at("ProductPassport", contracts["ProductPassport"])
deployed_at = DeployedContract.objects.get(name="ProductPassport").block_number
topic = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
token_topic = "0x" + (1).to_bytes(32, "big").hex()

def indexed():
    history = selectors.token_history(contract_name="ProductPassport", token_id=1)
    return history[-1].to_address, len(history)

def direct():
    owner = passport.functions.ownerOf(1).call()
    logs = w3.eth.get_logs({"fromBlock": deployed_at, "toBlock": "latest", "address": passport.address,
                            "topics": [topic, None, None, token_topic]})
    return owner, len(logs)

assert indexed()[0] == direct()[0] and indexed()[1] == direct()[1]
def p50(fn, series, baseline=False):
    samples = []
    for _ in range(reads):
        t = time.perf_counter(); fn(); samples.append((time.perf_counter() - t) * 1000)
    record_samples(series, samples, baseline=baseline)
    return statistics.median(samples)
client = Client()
page_ms = p50(lambda: client.get("/chain/tokens/ProductPassport/1"), "token_page")
indexed_ms, direct_ms = p50(indexed, "token_read_indexed", True), p50(direct, "token_read_chain")
print(json.dumps({
    "mints": mints,
    "raw_mints_per_s": round(mints / raw_seconds, 1),
    "outbox_mints_per_s": round(mints / outbox_seconds, 1),
    "outbox_vs_raw": round(raw_seconds / outbox_seconds, 3),
    "token_read_indexed_ms_p50": round(indexed_ms, 2),
    "token_read_chain_ms_p50": round(direct_ms, 2),
    "chain_vs_indexed": round(direct_ms / indexed_ms, 1),
    "token_page_ms_p50": round(page_ms, 2),
}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the chain node exited")
        try:
            urllib.request.urlopen(urllib.request.Request(url, body, {"Content-Type": "application/json"}), timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the chain node did not answer")


def run(options: dict[str, Any]) -> dict[str, Any]:
    mints = int(options.get("mints", 50))
    reads = int(options.get("reads", 200))
    cli = [sys.executable, "-m", "sangsaeng.cli"]
    with tempfile.TemporaryDirectory(prefix="ssg-bench-chain-") as var:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHAIN_") and k != "DATABASE_URL"}
        env.update(
            SANGSAENG_VAR_DIR=var,
            CHAIN_RPC_URL=f"http://127.0.0.1:{port}",
            DJANGO_SETTINGS_MODULE="sangsaeng.settings",
            DEBUG="false",
            LOG_LEVEL="WARNING",
        )
        node = subprocess.Popen(
            [*cli, "chain-node", "--port", str(port), "--data-dir", f"{var}/chain"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(env["CHAIN_RPC_URL"], node)
            subprocess.run([*cli, "migrate", "--noinput", "-v", "0"], env=env, check=True)
            out = subprocess.run(
                [sys.executable, "-c", MEASURE, str(mints), str(reads)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
        finally:
            node.terminate()
            node.wait(timeout=10)
    result: dict[str, Any] = {"name": NAME, **json.loads(out.stdout.strip().splitlines()[-1])}
    return result


if __name__ == "__main__":
    print(json.dumps(run({})))
