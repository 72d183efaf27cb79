"""`sangsaeng bench drop-rush --buyers N --editions M --limit L`: a live server under a drop rush.

N buyers (asyncio httpx clients, each with its own API token and Pay wallet) all try to buy at the
same moment: each sends L+1 purchases at once with distinct Idempotency-Keys (so the per-person
limit is really tested), retries with the same key after Retry-After when the waiting room answers
503 `waiting_room`, and retries a success once with the same key (it must replay the same
edition). Then, in a separate process, the invariants are checked and the chain outbox is
drained until every sold edition is minted.

Baseline in the same run: bare conditional decrements of one counter on the same database, one
transaction each (`purchases_per_s_vs_raw_decrement` = purchases/s over decrements/s).

Everything runs in child processes with their own var dir, database and embedded chain node, so a
benchmark never touches the platform's data. With DATABASE_URL pointing at PostgreSQL a fresh
database is made next to it for the run and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.harness import free_port, granian, percentile, record_samples, wait_http

NAME = "drop-rush"
ROOT = Path(__file__).resolve().parents[1]


def _django(command: str, env: dict[str, str], **args: Any) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.drops_rush_django", command, json.dumps(args)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


@contextmanager
def _server(argv: list[str], *, env: dict[str, str], probe: str, log: Path) -> Iterator[None]:
    """The web server with its log in a file: under a rush it logs every 503 waiting-room answer,
    and an unread pipe would fill up and stall the workers."""
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_http(probe, timeout=60)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def _database(var: str) -> Iterator[str]:
    """A fresh PostgreSQL database beside DATABASE_URL's, or SQLite in the run's var dir."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{var}/rush.sqlite3"
        return
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"rush_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _buyer(
    client: httpx.AsyncClient, gate: asyncio.Semaphore, url: str, token: str, attempts: int, stats: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    async def post(key: str) -> httpx.Response:
        # at most `connections` requests in flight: httpcore's pool slows down quadratically with
        # thousands of queued requests; the semaphore queues them first come, first served instead
        async with gate:
            return await client.post(url, headers={**headers, "Idempotency-Key": key})

    async def one() -> None:
        key = uuid.uuid4().hex
        for _ in range(200):
            started = time.perf_counter()
            try:
                response = await post(key)
            except httpx.HTTPError:
                stats["errors"] += 1
                await asyncio.sleep(0.2)
                continue
            stats["latencies"].append((time.perf_counter() - started) * 1000)
            if (
                response.status_code == 503
                and response.headers.get("Content-Type", "").startswith("application/problem+json")
                and response.json().get("code") == "waiting_room"
            ):
                stats["waited"] += 1
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")) * (0.5 + stats["rng"].random()))
                continue
            if response.status_code >= 500 or (
                response.status_code == 409 and response.json().get("code") in ("idempotency_in_progress",)
            ):
                stats["errors"] += 1
                await asyncio.sleep(0.1)
                continue
            if response.status_code == 201:
                stats["bought"] += 1
                stats["last_success"] = time.perf_counter()
                replay = await post(key)
                if replay.status_code != 201 or replay.json()["id"] != response.json()["id"]:
                    stats["replay_mismatch"] += 1
            else:
                stats["refused"][response.json().get("code", str(response.status_code))] += 1
            return

    await asyncio.gather(*(one() for _ in range(attempts)))


async def _rush(base: str, drop: str, tokens: list[str], limit: int, connections: int) -> dict[str, Any]:
    import collections
    import random

    stats: dict[str, Any] = {
        "latencies": [],
        "bought": 0,
        "waited": 0,
        "errors": 0,
        "replay_mismatch": 0,
        "refused": collections.Counter(),
        "rng": random.Random(7),
        "last_success": 0.0,
    }
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=httpx.Timeout(120.0)) as client:
        url = f"/api/v1/drops/{drop}/purchase"
        started = time.perf_counter()
        gate = asyncio.Semaphore(connections)
        await asyncio.gather(*(_buyer(client, gate, url, token, limit + 1, stats) for token in tokens))
        stats["seconds"] = time.perf_counter() - started
        stats["selling_seconds"] = max(1e-6, (stats["last_success"] or time.perf_counter()) - started)
    return stats


def run(options: dict[str, Any]) -> dict[str, Any]:
    buyers = int(options.get("buyers", 2000))
    editions = int(options.get("editions", 500))
    limit = int(options.get("limit", 1))
    workers = int(options.get("workers", os.cpu_count() or 2))
    admit = str(options.get("admit_per_s", 100))
    connections = int(options.get("connections", 256))
    price = 10_000
    cli = [sys.executable, "-m", "sangsaeng.cli"]
    with tempfile.TemporaryDirectory(prefix="ssg-bench-rush-") as var, _database(var) as database:
        node_port, port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHAIN_") and k != "DATABASE_URL"}
        env.update(
            SANGSAENG_VAR_DIR=var,
            SANGSAENG_PROFILE="development",
            DATABASE_URL=database,
            CHAIN_RPC_URL=f"http://127.0.0.1:{node_port}",
            CHAIN_CONFIRMATIONS="1",
            DROPS_ADMIT_PER_SECOND=admit,
            DJANGO_SETTINGS_MODULE="sangsaeng.settings",
            DEBUG="false",
            LOG_LEVEL="WARNING",
        )
        node = subprocess.Popen(
            [*cli, "chain-node", "--port", str(node_port), "--data-dir", f"{var}/chain"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            from bench.chain_mint import _wait

            _wait(env["CHAIN_RPC_URL"], node)
            subprocess.run([*cli, "migrate", "--noinput", "-v", "0"], env=env, check=True)
            prepared = _django("setup", env, buyers=buyers, editions=editions, limit=limit, price=price)
            with _server(
                granian("wsgi", "sangsaeng.wsgi:application", port, workers),
                env=env,
                probe=f"http://127.0.0.1:{port}/healthz",
                log=Path(var) / "web.log",
            ):
                stats = asyncio.run(
                    _rush(f"http://127.0.0.1:{port}", prepared["drop"], prepared["tokens"], limit, connections)
                )
            baseline = _django("raw", env, scratch=prepared["scratch"], count=editions)
            checked = _django(
                "verify",
                env,
                drop_id=prepared["drop"],
                limit=limit,
                funds=prepared["funds"],
                drain_seconds=float(options.get("drain_seconds", 300)),
            )
        finally:
            node.terminate()
            node.wait(timeout=10)
    record_samples("purchase", stats["latencies"])
    purchases_per_s = stats["bought"] / stats["selling_seconds"]
    raw_per_s = baseline["raw_decrements"] / max(1e-6, baseline["raw_seconds"])
    return {
        "name": NAME,
        "database": "postgresql" if database.startswith("postgres") else "sqlite",
        "buyers": buyers,
        "editions": editions,
        "limit": limit,
        "sold": checked["sold"],
        "oversold": checked["oversold"],
        "users_over_limit": checked["users_over_limit"],
        "charged_without_edition": checked["charged_without_edition"],
        "ledger_imbalance_krw": checked["ledger_imbalance_krw"],
        "minted_onchain": checked["minted_onchain"],
        "purchases_per_s": round(purchases_per_s, 1),
        "p99_ms": round(percentile(stats["latencies"], 99), 1),
        "p50_ms": round(percentile(stats["latencies"], 50), 1),
        "raw_decrements_per_s": round(raw_per_s, 1),
        "purchases_per_s_vs_raw_decrement": round(purchases_per_s / raw_per_s, 4),
        "requests": len(stats["latencies"]),
        "waiting_room_answers": stats["waited"],
        "retried_errors": stats["errors"],
        "replay_mismatches": stats["replay_mismatch"],
        "refused": dict(stats["refused"]),
        "rush_s": round(stats["seconds"], 2),
        "drain_s": checked["drain_s"],
    }


if __name__ == "__main__":
    print(json.dumps(run({})))
