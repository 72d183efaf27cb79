"""kill -9 the chain node and the outbox worker in the middle of a batch: every intent is mined exactly once.

Everything runs as real processes on a file database, as in production: `sangsaeng chain-node`,
`sangsaeng chain work`, and the enqueueing code in a third process.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from eth_account import Account
from web3 import Web3

from sangsaeng.chain.gateway import artifact
from sangsaeng.chain.tests.conftest import free_port, node_env, start_embedded, stop

# The PostgreSQL pass leaves this out as an exact repeat: the worker runs on its own SQLite file in tmp_path.
pytestmark = pytest.mark.backend_free

MINTS = 24

ENQUEUE = """
import json, sys, django
django.setup()
from sangsaeng.chain.deploy import contracts_deploy
from sangsaeng.chain.transactions import contract_call_enqueue
addresses = json.loads(sys.argv[1])
contracts = contracts_deploy()
for i, address in enumerate(addresses):
    contract_call_enqueue(idempotency_key=f"mint-{i}", operation="ContributionShares.mint",
                          contract_name="ContributionShares", function="mint", args=[address, i + 1])
print(json.dumps(contracts))
"""


def _statuses(db_path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM chain_chaintransaction WHERE operation = 'ContributionShares.mint' "
            "GROUP BY status"
        ).fetchall()
    return dict(rows)


def _worker(env) -> subprocess.Popen:
    argv = [sys.executable, "-m", "sangsaeng.cli", "chain", "work", "--interval", "0.05", "--limit", "3"]
    return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_kill_9_mid_batch_mines_every_intent_exactly_once(tmp_path):
    # given a node, a migrated file database, and a batch of intended mints
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    db_path = tmp_path / "db.sqlite3"
    env = node_env(
        DATABASE_URL=f"sqlite:///{db_path}",
        SANGSAENG_VAR_DIR=str(tmp_path),
        CHAIN_RPC_URL=url,
        CHAIN_WORKER_LEASE_SECONDS="2",
        # tasks go to the database queue, which no process runs here: only `chain work` sends
        SANGSAENG_TEST_REAL_TASKS="1",
        DJANGO_SETTINGS_MODULE="sangsaeng.settings",
    )
    node = start_embedded(tmp_path / "chain", port)
    worker = None
    try:
        subprocess.run([sys.executable, "-m", "sangsaeng.cli", "migrate", "-v", "0"], env=env, check=True)
        addresses = [Account.create().address for _ in range(MINTS)]
        out = subprocess.run(
            [sys.executable, "-c", ENQUEUE, json.dumps(addresses)], env=env, check=True, capture_output=True, text=True
        )
        shares_address = json.loads(out.stdout.strip().splitlines()[-1])["ContributionShares"]
        # when the worker is part-way through the batch, both processes are killed
        worker = _worker(env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            statuses = _statuses(db_path)
            if MINTS - statuses.get("queued", 0) >= 6:
                break
            time.sleep(0.02)
        _kill(worker)
        _kill(node)
        at_kill = _statuses(db_path)
        assert at_kill.get("queued", 0) > 0, f"the batch finished before the kill: {at_kill}"
        # and both are started again
        node = start_embedded(tmp_path / "chain", port)
        worker = _worker(env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _statuses(db_path) != {"confirmed": MINTS}:
            time.sleep(0.2)
        # then every intent is confirmed, each mint happened once, and no extra transaction was sent
        assert _statuses(db_path) == {"confirmed": MINTS}
        w3 = Web3(Web3.HTTPProvider(url))
        shares = w3.eth.contract(
            address=Web3.to_checksum_address(shares_address), abi=artifact("ContributionShares")["abi"]
        )
        assert [shares.functions.balanceOf(a).call() for a in addresses] == list(range(1, MINTS + 1))
        assert shares.functions.totalSupply().call() == MINTS * (MINTS + 1) // 2
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            nonces = [row[0] for row in conn.execute("SELECT nonce FROM chain_chaintransaction ORDER BY nonce")]
        relayer = Account.from_key(env["CHAIN_RELAYER_KEY"]).address
        assert nonces == list(range(len(nonces)))
        assert w3.eth.get_transaction_count(relayer) == len(nonces)
    finally:
        if worker is not None and worker.poll() is None:
            _kill(worker)
        stop(node)
