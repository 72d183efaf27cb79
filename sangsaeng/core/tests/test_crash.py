"""Crash tests (issue 17): kill -9 the web server, the worker or the chain node in the middle of an
upload, a checkout rush, a drop rush, an outbox batch and a contribution pipeline run; start them
again; then read the database and the chain to show that nothing was lost or done twice.

Every part is the real command (`sangsaeng web`, `sangsaeng worker`, `sangsaeng chain-node`) on the
scenario's own SQLite file (crash_harness.py); the invariants are read back by crash_probe.py.
The kill points are chosen from live state (bytes on disk, rows in the database), so each kill
lands while the operation is under way, and each test asserts that it did.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from sangsaeng.core.tests.crash_harness import CLI, ROOT, Stack, wait_until

# The PostgreSQL pass leaves these out as exact repeats: every process runs on its own SQLite file.
# `django_db` only makes the run's test database exist, for crash_template to copy its schema.
pytestmark = [pytest.mark.backend_free, pytest.mark.whole_platform, pytest.mark.django_db]

MiB = 1 << 20


@pytest.fixture(scope="session")
def crash_template(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The test run's migrated schema as a file: a scenario copies it instead of migrating (~45 s)."""
    from django.db import connection

    path = tmp_path_factory.mktemp("crash-template") / "db.sqlite3"
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
            return path
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=f"sqlite:///{path}", SANGSAENG_PROFILE="development", PYTHONPATH=str(ROOT))
    subprocess.run([*CLI, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    return path


@pytest.fixture
def make_stack(tmp_path, crash_template):
    stacks: list[Stack] = []

    def make(**env: str) -> Stack:
        stack = Stack(tmp_path, crash_template, **env)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.stop_all()


def _send(client: httpx.Client, method: str, url: str, *, deadline: float, **kwargs: Any) -> httpx.Response:
    """What a real client does: retry a lost connection or a 5xx with the same request (and key)."""
    while True:
        try:
            response = client.request(method, url, **kwargs)
            if response.status_code < 500 or time.monotonic() > deadline:
                return response
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def test_an_upload_killed_mid_patch_resumes_at_the_head_offset_and_loses_no_byte(make_stack):
    # given a web server, a user and a tus upload of 6 MiB whose first MiB is stored
    stack = make_stack()
    token = stack.probe("person_setup", email="tus@crash.example")["token"]
    stack.start("web")
    size = 6 * MiB
    data = os.urandom(size)
    auth = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
    patch_headers = {**auth, "Content-Type": "application/offset+octet-stream"}
    created = httpx.post(
        f"{stack.base}/files/",
        headers={
            **auth,
            "Upload-Length": str(size),
            "Upload-Metadata": f"filename {base64.b64encode(b'c.bin').decode()}",
        },
    )
    assert created.status_code == 201, created.text
    url = created.headers["Location"]
    first = httpx.patch(url, content=data[:MiB], headers={**patch_headers, "Upload-Offset": "0"})
    assert (first.status_code, first.headers["Upload-Offset"]) == (204, str(MiB))
    part = stack.root / "var" / "files" / "scratch" / "tus" / f"{url.rsplit('/', 1)[1]}.part"

    # when the server is killed while the next PATCH's body is streaming in
    sent = {"bytes": MiB, "on_disk_at_kill": -1}

    def body():
        for at in range(MiB, size, 64 * 1024):
            yield data[at : at + 64 * 1024]
            sent["bytes"] = at + 64 * 1024
            if sent["bytes"] == 3 * MiB:
                # give the server a moment to write what it has read, then pull the plug
                deadline = time.monotonic() + 3
                while part.stat().st_size <= MiB and time.monotonic() < deadline:
                    time.sleep(0.02)
                sent["on_disk_at_kill"] = part.stat().st_size
                stack.kill("web")

    streaming = {**patch_headers, "Upload-Offset": str(MiB), "Content-Length": str(size - MiB)}
    with pytest.raises(httpx.TransportError):
        httpx.patch(url, content=body(), headers=streaming, timeout=30)
    assert 0 < sent["on_disk_at_kill"] < size

    # and started again
    stack.start("web")
    # then HEAD gives the offset the server really holds: no byte it acknowledged is missing
    head = httpx.head(url, headers=auth)
    offset = int(head.headers["Upload-Offset"])
    assert head.status_code == 200
    assert offset == part.stat().st_size >= sent["on_disk_at_kill"] >= MiB
    assert offset <= sent["bytes"]
    # and the rest, sent from that offset, completes a blob whose SHA-256 is the source's
    rest = httpx.patch(url, content=data[offset:], headers={**patch_headers, "Upload-Offset": str(offset)}, timeout=60)
    assert (rest.status_code, rest.headers["Upload-Offset"]) == (204, str(size))
    sha = hashlib.sha256(data).hexdigest()
    bearer = {"Authorization": f"Bearer {token}"}
    check = httpx.post(
        f"{stack.base}/api/v1/drawer/bulk-upload-check",
        json={"assets": [{"id": "c", "checksum": sha}]},
        headers=bearer,
    ).json()["results"][0]
    assert (check["action"], check["reason"]) == ("reject", "duplicate")
    item = httpx.get(f"{stack.base}/api/v1/drawer/items/{check['asset_id']}", headers=bearer).json()
    assert (item["name"], item["size"], item["sha256"]) == ("c.bin", size, sha)
    assert not part.exists()
    print(f"\nupload: killed with {sent['on_disk_at_kill']} of {sent['bytes']} sent bytes on disk; HEAD {offset}")


def test_a_checkout_rush_killed_mid_way_captures_each_payment_once_and_orphans_no_reservation(make_stack):
    # given a store with 24 units and 36 buyers with funded wallets, the web server and the worker
    buyers, stock = 36, 24
    stack = make_stack()
    setup = stack.probe("checkout_setup", buyers=buyers, stock=stock)
    stack.start("web")
    stack.start("worker", wait=False)
    at_kill: dict[str, Any] = {}

    def kill_mid_rush() -> None:
        wait_until(
            lambda: stack.count("SELECT count(*) FROM commerce_order WHERE status = 'paid'") >= 6,
            timeout=120,
            what="6 paid orders",
        )
        stack.kill("web")
        stack.kill("worker")
        at_kill.update(dict(stack.sql("SELECT status, count(*) FROM commerce_order GROUP BY status")))
        at_kill["held"] = stack.count("SELECT count(*) FROM commerce_stockreservation WHERE state = 'held'")
        at_kill["payments"] = stack.count("SELECT count(*) FROM payments_payment WHERE status = 'paid'")
        stack.start("web")
        stack.start("worker", wait=False)

    def buy(token: str) -> int:
        with httpx.Client(base_url=stack.base, timeout=30) as client:
            response = _send(
                client,
                "POST",
                f"/api/v1/commerce/storefront/{setup['handle']}/checkout",
                json={"lines": [{"variant_id": setup["variant"], "quantity": 1}], "payment_method": "wallet"},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
                deadline=time.monotonic() + 150,
            )
            return response.status_code

    # when they all check out at once and both processes are killed part-way, then started again
    killer = threading.Thread(target=kill_mid_rush)
    killer.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(buy, setup["tokens"]))
    killer.join()
    assert 6 <= at_kill["paid"] < stock, f"the kill did not land mid-rush: {at_kill}"

    # then, once the worker's sweeps have run (the reservation timeout passed), every order is
    # paid with its money kept exactly once, or closed with its money back and its stock returned
    stack.stop_all()
    state = stack.probe("checkout_state", stock=stock, sweep=True)
    assert state["orders"].get("placed", 0) == 0, state
    assert state["orders_per_buyer_max"] == 1
    assert state["captures_max_per_order"] == 1
    assert state["payments_per_buyer_max"] == 1
    assert state["paid_orders_money_kept"] == state["orders"]["paid"] == state["sold"] <= stock
    assert state["closed_orders_money_kept"] == 0
    assert state["reservations_held"] == 0 and state["reserved"] == 0
    assert state["stock_accounted"], state
    assert state["wallets_off_krw"] == 0
    assert state["ledger_ok"] and state["ledger_lines_total"] == 0
    assert all(code in (201, 409) for code in statuses), statuses
    print(f"\ncheckout: {buyers} buyers, {stock} units; at kill {at_kill}; after {state}")


def test_a_pipeline_run_killed_mid_batch_decides_each_document_once_and_mints_shares_once(make_stack):
    # given 8 queued contributions of 4 documents each (3 Korean, 1 English) and a chain node
    count, docs = 8, 4
    # (the worker's sweep waits 600 s for a lost task at first, so the queue's tasks do the work)
    stack = make_stack(
        CONTRIBUTIONS_UPLOADS_PER_HOUR="1000", CONTRIBUTIONS_RETRY_AFTER_SECONDS="600", OUTBOX_LOST_AFTER_SECONDS="3"
    )
    stack.start("node")
    stack.probe("contributions_setup", count=count, docs=docs)

    def decided() -> int:
        return stack.count("SELECT count(*) FROM contributions_contribution WHERE status != 'pending'")

    def in_flight() -> int:
        """Contributions that a running task is deciding right now (its transaction still open)."""
        return stack.count(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult t JOIN contributions_contribution c "
            "ON c.id = json_extract(t.args_kwargs, '$.kwargs.contribution_id') "
            "WHERE t.status = 'RUNNING' AND c.status = 'pending'"
        )

    # when the worker is killed while its pipeline is deciding a contribution, and started again
    stack.start("worker", wait=False)
    wait_until(lambda: decided() >= 2 and in_flight(), timeout=180, what="a pipeline run under way", every=0.02)
    stack.kill("worker")
    at_kill = decided()
    running = in_flight()
    assert 2 <= at_kill < count and running == 1, f"not mid-run: {at_kill} of {count} decided, {running} running"
    # (the restarted worker's sweep takes up a lost task after 2 s, not the default 300 s)
    stack.env["CONTRIBUTIONS_RETRY_AFTER_SECONDS"] = "2"
    stack.start("worker", wait=False)

    # then every contribution is decided, and every accepted one's shares are minted, once
    wait_until(lambda: decided() == count, timeout=180, what="every contribution decided", every=0.2)
    wait_until(
        lambda: (
            stack.count(
                "SELECT count(*) FROM chain_chaintransaction WHERE status = 'confirmed' "
                "AND operation = 'ContributionShares.mint'"
            )
            >= stack.count("SELECT count(*) FROM contributions_contribution WHERE status = 'accepted'")
        ),
        timeout=180,
        what="every accepted contribution's shares confirmed",
        every=0.2,
    )
    stack.kill("worker")
    state = stack.probe("contributions_state")
    assert state["statuses"] == {"accepted": count}
    assert state["documents"] == count * docs and state["max_documents_per_index"] == 1
    assert state["documents_decided"] == {"accepted": count * (docs - 1), "rejected": count}
    assert state["mint_intents"] == state["mints_confirmed"] == state["accepted"] == count
    assert state["mint_intents_max_per_key"] == 1
    assert state["shares_right"] == count and state["total_supply_matches"]
    nonces = stack.probe("chain_nonces")
    assert nonces["nonces_gapless"] and nonces["relayer_tx_count"] == nonces["nonces"]
    print(f"\ncontributions: {count}x{docs} documents; {at_kill} decided at kill, {running} mid-run; {state}")


def test_a_drop_rush_killed_mid_way_mints_each_sold_edition_exactly_once(make_stack):
    # given a drop of 30 editions, one per person, 40 funded fans, the chain node, worker and web
    fans, editions = 40, 30
    stack = make_stack(DROPS_ADMIT_PER_SECOND="1000")
    stack.start("node")
    setup = stack.probe("drop_setup", buyers=fans, editions=editions)
    stack.start("worker", wait=False)
    stack.start("web")
    wait_until(
        lambda: stack.count("SELECT count(*) FROM drops_drop WHERE chain_drop_id IS NOT NULL"),
        timeout=180,
        what="the drop on chain",
        every=0.2,
    )
    at_kill: dict[str, int] = {}

    def kill_mid_rush() -> None:
        wait_until(lambda: stack.count("SELECT count(*) FROM drops_edition") >= 8, timeout=120, what="8 editions sold")
        stack.kill("web")
        stack.kill("worker")
        at_kill["sold"] = stack.count("SELECT count(*) FROM drops_edition")
        at_kill["minted"] = stack.count("SELECT count(*) FROM drops_edition WHERE minted_at IS NOT NULL")
        at_kill["mint_batches"] = stack.count(
            "SELECT count(*) FROM chain_chaintransaction WHERE operation = 'ArtworkEditions.mint_batch'"
        )
        stack.start("web")
        stack.start("worker", wait=False)

    def buy(token: str) -> int:
        key = uuid.uuid4().hex
        deadline = time.monotonic() + 150
        with httpx.Client(base_url=stack.base, timeout=30) as client:
            while True:
                response = _send(
                    client,
                    "POST",
                    f"/api/v1/drops/{setup['drop']}/purchase",
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
                    deadline=deadline,
                )
                code = response.json().get("code") if response.status_code >= 400 else None
                if code in ("waiting_room", "idempotency_in_progress") and time.monotonic() < deadline:
                    time.sleep(0.3)
                    continue
                return response.status_code

    # when they all buy at once and the web server and worker are killed part-way, then restarted
    killer = threading.Thread(target=kill_mid_rush)
    killer.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(buy, setup["tokens"]))
    killer.join()
    assert 8 <= at_kill["sold"] < editions, f"the kill did not land mid-rush: {at_kill}"

    # then every edition sold is minted on chain exactly once, to its buyer, and paid exactly once
    wait_until(
        lambda: stack.count("SELECT count(*) FROM drops_edition WHERE minted_at IS NULL") == 0,
        timeout=180,
        what="every sold edition minted",
        every=0.2,
    )
    stack.kill("worker")
    stack.kill("web")
    state = stack.probe("drop_state", drop_id=setup["drop"])
    sold = state["editions"]
    assert sold == state["sold_counter"] == editions == statuses.count(201)
    assert state["numbers_gapless"] and state["buyers_over_limit"] == 0
    assert state["minted_rows"] == state["minted_on_chain"] == state["owners_match"] == sold
    assert state["token_ids_unique"]
    assert set(state["mint_txs"]) == {"confirmed"}
    assert state["charged_wrong"] == 0 and state["creator_payable"] == state["editions_paid_total"]
    assert state["ledger_ok"]
    nonces = stack.probe("chain_nonces")
    assert nonces["nonces_gapless"] and nonces["relayer_tx_count"] == nonces["nonces"]
    print(f"\ndrops: {fans} fans, {editions} editions; at kill {at_kill}; after {state}; {nonces}")


def test_an_outbox_batch_applies_each_intent_once_when_the_chain_node_is_killed_mid_batch(make_stack):
    # given 30 mint intents in the chain outbox and the worker sending them
    # (kill -9 of the worker and the node together is test_fault_kill9 in the chain app)
    mints = 30
    stack = make_stack()
    stack.start("node")
    addresses = stack.probe("shares_enqueue", count=mints)["addresses"]

    def statuses() -> dict[str, int]:
        rows = stack.sql(
            "SELECT status, count(*) FROM chain_chaintransaction WHERE operation = 'ContributionShares.mint' "
            "GROUP BY status"
        )
        return dict(rows)

    stack.start("worker", wait=False)
    # when the node alone is killed part-way through the batch, and started again a moment later
    wait_until(lambda: mints - statuses().get("queued", 0) >= 5, timeout=180, what="5 mints sent", every=0.01)
    stack.kill("node")
    at_kill = statuses()
    assert at_kill.get("confirmed", 0) < mints, f"the batch was done before the kill: {at_kill}"
    time.sleep(1)  # the worker meets a dead node
    stack.start("node")

    # then every intent is mined exactly once: balances, supply, and the relayer's nonces agree
    wait_until(lambda: statuses() == {"confirmed": mints}, timeout=180, what="every mint confirmed", every=0.2)
    stack.kill("worker")
    state = stack.probe("shares_state", addresses=addresses)
    assert state["balances"] == list(range(1, mints + 1))
    assert state["total_supply"] == mints * (mints + 1) // 2
    assert state["nonces_gapless"] and state["relayer_tx_count"] == state["nonces"]
    print(f"\noutbox: {mints} mints; at node kill {at_kill}; after {state}")
