"""`sangsaeng bench load [--duration 300] [--users 20]`: a mixed workload through deploy/run.sh's layout.

The benchmark starts the reference production deployment (nginx, two web processes, the WebSocket
process, the RQ worker, the embedded chain node) on a fresh PostgreSQL database beside DATABASE_URL
and the Redis of REDIS_URL (local instances under the run's var dir when they are unset), seeds N
virtual users (bench/load_django.py), and runs them for the duration, all through nginx over TLS:

- browse: the signed-in home page, a storefront's products, the drops list, a static file;
- chat: a message sent over each user's chat WebSocket until its ack, its delivery to every other
  member's socket, and the history read over the API;
- checkout: one-tap storefront checkout paid from the Pay wallet;
- drop: fixed-price edition purchases, plus a rush halfway through in which every user buys at the
  same moment (503 `waiting_room` answers are the drop's back-pressure: retried after Retry-After
  with the same Idempotency-Key and counted apart, not as errors);
- vault: a Bitwarden `/vault/api/sync` of the user's encrypted items;
- media: a tus upload of a fresh JPEG to the Drawer (thumbnails then made by the worker).

Each virtual user runs a bounded loop (at most `--iterations`, default 100,000, and never past the
duration) with a think time between operations. An error is a refused connection, a timeout, a
5xx, or any answer other than the operation's success status; the run fails its target when the
error rate reaches 0.1 %. Baseline in the same run: `/healthz` through nginx, closed loop, with as
many clients (`ops_per_s_vs_healthz_per_s`). Afterwards every sold edition must reach the chain
and the ledger audit must balance.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import random
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.harness import free_port, percentile

NAME = "load"
ROOT = Path(__file__).resolve().parents[1]
ERROR_BUDGET = 0.001
WEIGHTS = {
    "browse.home": 10,
    "browse.store": 12,
    "browse.drops": 8,
    "browse.static": 5,
    "chat.send": 20,
    "chat.history": 8,
    "checkout": 8,
    "drop.purchase": 4,
    "vault.sync": 15,
    "media.upload": 5,
}


@dataclass
class Op:
    latencies: list[float] = field(default_factory=list)
    count: int = 0
    errors: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        self.codes[what[:60]] += 1
        if len(self.examples) < 3:
            self.examples.append(what[:300])


@dataclass
class Deployment:
    url: str
    ca: str
    django_env: dict[str, str]
    var: Path
    script_env: dict[str, str]


def _env_file(path: Path) -> dict[str, str]:
    pairs = (line.partition("=") for line in path.read_text().splitlines())
    return {name: value for name, eq, value in pairs if eq}


@contextmanager
def _database() -> Iterator[str]:
    """A fresh PostgreSQL database beside DATABASE_URL's, dropped afterwards; '' lets run.sh make its own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ""
        return
    import psycopg

    base = url.partition("?")[0].rpartition("/")[0]
    name = f"load_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def deployment(var: Path, *, database: str, ready_timeout: int = 240) -> Iterator[Deployment]:
    """deploy/run.sh start on free ports in `var`; stopped (every process) on the way out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAIN_", "DEPLOY_", "SANGSAENG_"))}
    env.pop("DATABASE_URL", None)
    env.pop("STATIC_ROOT", None)
    if database:
        env["DATABASE_URL"] = database
    web = f"{free_port()} {free_port()}"
    env.update(
        PYTHON=sys.executable,
        PYTHONPATH=str(ROOT),
        SANGSAENG_VAR_DIR=str(var),
        DEPLOY_HTTP_PORT=str(free_port()),
        DEPLOY_HTTPS_PORT=str(https := free_port()),
        DEPLOY_WEB_PORTS=web,
        DEPLOY_WS_PORT=str(free_port()),
        DEPLOY_PG_PORT=str(free_port()),
        DEPLOY_REDIS_PORT=str(free_port()),
        CHAIN_NODE_PORT=str(free_port()),
        DEPLOY_READY_TIMEOUT=str(ready_timeout),
    )
    script = str(ROOT / "deploy" / "run.sh")
    try:
        started = subprocess.run([script, "start"], env=env, capture_output=True, text=True)
        if started.returncode != 0:
            raise RuntimeError(f"deploy/run.sh start failed ({started.returncode}):\n{started.stderr[-3000:]}")
        deploy_dir = var / "deploy"
        django_env = {**env, **_env_file(deploy_dir / "environment"), **_env_file(deploy_dir / "secrets.env")}
        django_env.update(SANGSAENG_PROFILE="production", DJANGO_SETTINGS_MODULE="sangsaeng.settings")
        yield Deployment(
            url=f"https://127.0.0.1:{https}",
            ca=str(deploy_dir / "tls" / "cert.pem"),
            django_env=django_env,
            var=var,
            script_env=env,
        )
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, text=True, timeout=120)


def django_call(deploy: Deployment, command: str, *, test_mode: bool = False, **args: Any) -> dict[str, Any]:
    env = {**deploy.django_env, **({"PAYMENTS_TEST_MODE": "true"} if test_mode else {})}
    out = subprocess.run(
        [sys.executable, "-m", "bench.load_django", command, json.dumps(args)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench.load_django {command} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _jpeg(rng: random.Random) -> bytes:
    """A small photo-like JPEG; every upload gets its own bytes (random tail after the end marker)."""
    from PIL import Image

    image = Image.new("RGB", (320, 240), tuple(rng.randrange(256) for _ in range(3)))  # type: ignore[arg-type]
    image.putdata([(x % 256, (x * 7) % 256, rng.randrange(256)) for x in range(320 * 240)])
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class Runner:
    def __init__(self, url: str, ca: str, seed: dict[str, Any], options: dict[str, Any]) -> None:
        self.url, self.seed, self.options = url, seed, options
        self.context = ssl.create_default_context(cafile=ca)
        self.duration = float(options.get("duration", 300))
        self.iterations = int(options.get("iterations", 100_000))
        self.think = (float(options.get("think_min", 0.3)), float(options.get("think_max", 1.2)))
        self.rush_purchases = int(options.get("rush_purchases", 2))
        self.timeout = float(options.get("timeout", 30))
        self.ops: dict[str, Op] = {name: Op() for name in [*WEIGHTS, "chat.delivery", "drop.rush", "baseline.healthz"]}
        self.waiting_room = 0
        self.acked: list[int] = []  # members to deliver to, per acknowledged message
        self.sockets: dict[int, Any] = {}
        self.readers: list[asyncio.Future[None]] = []
        self.cursors: dict[int, tuple[int, int]] = {}  # per socket: last seq and ev seen
        self.reconnects = 0
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.static_file = ""
        self.vault_tokens: dict[int, str] = {}
        self.images: list[bytes] = []
        self.sizes = {c["id"]: len(c["members"]) for c in seed["conversations"]}

    def client(self, connections: int) -> httpx.AsyncClient:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        return httpx.AsyncClient(base_url=self.url, verify=self.context, limits=limits, timeout=self.timeout)

    async def timed(self, name: str, call: Any, expect: int) -> httpx.Response | None:
        self.ops[name].count += 1
        started = time.perf_counter()
        try:
            response: httpx.Response = await call
        except Exception as exc:  # a refused connection or a timeout is an error of this operation
            self.ops[name].error(f"{type(exc).__name__}: {exc}")
            return None
        self.ops[name].latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code != expect:
            self.ops[name].error(f"{response.status_code} {response.text[:200]}")
        return response

    # -- operations ------------------------------------------------------------------------------
    async def op(self, http: httpx.AsyncClient, name: str, i: int, rng: random.Random) -> None:
        user = self.seed["users"][i]
        bearer = {"Authorization": f"Bearer {user['token']}"}
        if name == "browse.home":
            await self.timed(name, http.get("/", headers={"Cookie": user["cookie"]}), 200)
        elif name == "browse.store":
            await self.timed(name, http.get(f"/api/v1/commerce/storefront/{self.seed['store']}/products"), 200)
        elif name == "browse.drops":
            await self.timed(name, http.get("/api/v1/drops/", headers=bearer), 200)
        elif name == "browse.static":
            await self.timed(name, http.get(f"/static/{self.static_file}"), 200)
        elif name == "chat.history":
            path = f"/api/v1/messaging/conversations/{user['conversation']}/messages"
            await self.timed(name, http.get(path, params={"limit": 20}, headers=bearer), 200)
        elif name == "chat.send":
            await self.chat_send(i)
        elif name == "checkout":
            body = {"lines": [{"variant_id": self.seed["variant"], "quantity": 1}], "payment_method": "wallet"}
            headers = {**bearer, "Idempotency-Key": uuid.uuid4().hex}
            path = f"/api/v1/commerce/storefront/{self.seed['store']}/checkout"
            await self.timed(name, http.post(path, json=body, headers=headers), 201)
        elif name == "drop.purchase":
            await self.purchase(http, name, i, rng)
        elif name == "vault.sync":
            headers = {"Authorization": f"Bearer {self.vault_tokens[i]}"}
            await self.timed(name, http.get("/vault/api/sync", params={"excludeDomains": "true"}, headers=headers), 200)
        elif name == "media.upload":
            await self.upload(http, i, rng)

    async def purchase(self, http: httpx.AsyncClient, name: str, i: int, rng: random.Random) -> None:
        headers = {"Authorization": f"Bearer {self.seed['users'][i]['token']}", "Idempotency-Key": uuid.uuid4().hex}
        path = f"/api/v1/drops/{self.seed['drop']}/purchase"
        for _ in range(100):
            response = await self.timed(name, http.post(path, headers=headers), 201)
            if response is None or response.status_code != 503:
                return
            if response.headers.get("content-type", "").startswith("application/problem+json") and (
                response.json().get("code") == "waiting_room"
            ):
                # back-pressure by design, not an error: take it back out of the error count
                op = self.ops[name]
                op.errors -= 1
                op.codes[f"503 {response.text[:200]}"[:60]] -= 1
                if len(op.examples) and op.examples[-1].startswith("503"):
                    op.examples.pop()
                self.waiting_room += 1
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")) * (0.5 + rng.random()))
                continue
            return

    async def upload(self, http: httpx.AsyncClient, i: int, rng: random.Random) -> None:
        data = rng.choice(self.images) + os.urandom(16)
        headers = {"Authorization": f"Bearer {self.seed['users'][i]['token']}", "Tus-Resumable": "1.0.0"}
        name = base64.b64encode(f"load-{uuid.uuid4().hex[:8]}.jpg".encode()).decode()
        started = time.perf_counter()
        op = self.ops["media.upload"]
        op.count += 1
        try:
            created = await http.post(
                "/files/",
                headers={**headers, "Upload-Length": str(len(data)), "Upload-Metadata": f"filename {name}"},
            )
            if created.status_code != 201:
                op.error(f"create {created.status_code} {created.text[:200]}")
                return
            patched = await http.patch(
                created.headers["Location"],
                content=data,
                headers={**headers, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
            )
        except Exception as exc:
            op.error(f"{type(exc).__name__}: {exc}")
            return
        op.latencies.append((time.perf_counter() - started) * 1000)
        if patched.status_code != 204:
            op.error(f"patch {patched.status_code} {patched.text[:200]}")

    # -- chat over WebSockets --------------------------------------------------------------------
    async def connect(self, i: int) -> None:
        import websockets

        user = self.seed["users"][i]
        ws = await websockets.connect(
            self.url.replace("https://", "wss://") + "/ws/chat/",
            ssl=self.context,
            additional_headers={"Cookie": user["cookie"], "Origin": self.url},
            max_queue=None,
            open_timeout=self.timeout,
        )
        hello = json.loads(await ws.recv())
        if hello.get("type") != "hello":
            raise RuntimeError(f"chat socket {i} said {hello}")
        if i in self.cursors:  # a reconnect: ask for what was missed, as the chat page does
            self.reconnects += 1
            seq, ev = self.cursors[i]
            conversation = user["conversation"]
            await ws.send(json.dumps({"type": "sync", "cursors": {conversation: seq}, "events": {conversation: ev}}))
        else:
            self.cursors[i] = (0, 0)
        self.sockets[i] = ws
        self.readers.append(asyncio.ensure_future(self.reader(i, ws)))

    async def reader(self, i: int, ws: Any) -> None:
        try:
            async for raw in ws:
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind in ("ack", "error") and i in self.pending and not self.pending[i].done():
                    self.pending[i].set_result(frame)
                elif kind == "message":
                    message = frame.get("message") or {}
                    seq, ev = self.cursors.get(i, (0, 0))
                    self.cursors[i] = (max(seq, int(message.get("seq") or 0)), max(ev, int(frame.get("ev") or 0)))
                    text = str(message.get("text", ""))
                    parts = text.split(" ")
                    if len(parts) == 3 and parts[0] == "load" and parts[1] != str(i):
                        self.ops["chat.delivery"].latencies.append((time.time() - float(parts[2])) * 1000)
        except Exception:  # the socket closed; chat_send sees it and reconnects
            return

    async def chat_send(self, i: int) -> None:
        op = self.ops["chat.send"]
        conversation = self.seed["users"][i]["conversation"]
        op.count += 1
        started = time.perf_counter()
        try:
            if i not in self.sockets or self.sockets[i].close_code is not None:
                await self.connect(i)
            self.pending[i] = asyncio.get_running_loop().create_future()
            frame = {"type": "send", "conversation": conversation, "text": f"load {i} {time.time()}"}
            await self.sockets[i].send(json.dumps({**frame, "client_id": uuid.uuid4().hex[:16]}))
            reply = await asyncio.wait_for(self.pending[i], timeout=self.timeout)
        except Exception as exc:
            op.error(f"{type(exc).__name__}: {exc}")
            return
        op.latencies.append((time.perf_counter() - started) * 1000)
        if reply.get("type") != "ack":
            op.error(f"{reply.get('code')} {reply.get('message_en')}")
            return
        self.acked.append(self.sizes.get(conversation, 1) - 1)

    # -- the run ---------------------------------------------------------------------------------
    async def prepare(self, http: httpx.AsyncClient) -> None:
        manifest = json.loads(await asyncio.to_thread(self._manifest))
        self.static_file = sorted(manifest["paths"].values())[0]
        for i, user in enumerate(self.seed["users"]):  # one at a time, as people sign in
            response = await http.post(
                "/vault/identity/connect/token",
                data={
                    "grant_type": "password",
                    "username": user["email"],
                    "password": user["vault_hash"],
                    "deviceIdentifier": f"load-{i}",
                    "deviceName": "load",
                    "deviceType": "25",
                },
            )
            response.raise_for_status()
            self.vault_tokens[i] = response.json()["access_token"]
        rng = random.Random(5)
        self.images = [_jpeg(rng) for _ in range(8)]
        await asyncio.gather(*(self.connect(i) for i in range(len(self.seed["users"]))))

    async def settle(self, *, quiet: float) -> None:
        """Until every acknowledged message reached every other member, or none arrived for `quiet`
        seconds (the first run waited a fixed 3 s, shorter than the 4 s p99 delivery it measured)."""
        delivered = self.ops["chat.delivery"].latencies
        last, last_change = len(delivered), time.monotonic()
        while len(delivered) < sum(self.acked) and time.monotonic() - last_change < quiet:
            await asyncio.sleep(0.2)
            if len(delivered) != last:
                last, last_change = len(delivered), time.monotonic()

    def _manifest(self) -> str:
        return (Path(self.seed["static_root"]) / "staticfiles.json").read_text()

    async def baseline(self, http: httpx.AsyncClient, seconds: float, clients: int) -> float:
        """/healthz through nginx, closed loop: answers per second (its errors are counted too)."""
        deadline = time.monotonic() + seconds

        async def one() -> None:
            while time.monotonic() < deadline:
                await self.timed("baseline.healthz", http.get("/healthz"), 200)

        started = time.monotonic()
        await asyncio.gather(*(one() for _ in range(clients)))
        return len(self.ops["baseline.healthz"].latencies) / (time.monotonic() - started)

    async def user(self, http: httpx.AsyncClient, i: int, until: float) -> None:
        rng = random.Random(1000 + i)
        names, weights = list(WEIGHTS), list(WEIGHTS.values())
        await asyncio.sleep(rng.uniform(0, self.think[1]))  # users arrive spread out
        for _ in range(self.iterations):
            if time.monotonic() >= until:
                return
            await self.op(http, rng.choices(names, weights)[0], i, rng)
            await asyncio.sleep(rng.uniform(*self.think))

    async def rush(self, http: httpx.AsyncClient, at: float) -> None:
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        rng = random.Random(99)
        users = range(len(self.seed["users"]))
        await asyncio.gather(
            *(self.purchase(http, "drop.rush", i, rng) for i in users for _ in range(self.rush_purchases))
        )

    async def main(self, baseline_seconds: float) -> dict[str, Any]:
        users = len(self.seed["users"])
        async with self.client(users * (self.rush_purchases + 1)) as http:
            await self.prepare(http)
            healthz_per_s = await self.baseline(http, baseline_seconds, users)
            started = time.monotonic()
            until = started + self.duration
            await asyncio.gather(
                self.rush(http, started + self.duration / 2), *(self.user(http, i, until) for i in range(users))
            )
            elapsed = time.monotonic() - started
            await self.settle(quiet=float(self.options.get("settle_s", 10)))
            for ws in self.sockets.values():
                await ws.close()
        expected = sum(self.acked)
        delivery = self.ops["chat.delivery"]
        delivery.count = max(expected, len(delivery.latencies))
        delivery.errors = max(0, expected - len(delivery.latencies))
        if delivery.errors:
            delivery.codes["not delivered"] = delivery.errors
        return {"elapsed": elapsed, "healthz_per_s": healthz_per_s}


def report(runner: Runner, measured: dict[str, Any]) -> dict[str, Any]:
    ops: dict[str, dict[str, Any]] = {}
    requests = errors = 0
    for name, op in runner.ops.items():
        ops[name] = {
            "count": op.count,
            "p50_ms": round(percentile(op.latencies, 50), 1),
            "p99_ms": round(percentile(op.latencies, 99), 1),
            "errors": op.errors,
        }
        if op.errors:
            ops[name]["error_kinds"] = dict(+op.codes)
            ops[name]["error_examples"] = op.examples
        if name == "baseline.healthz":
            continue
        requests += op.count
        errors += op.errors
    rate = errors / max(1, requests)
    ops_per_s = requests / measured["elapsed"]
    return {
        "ops": ops,
        "operations": requests,
        "errors": errors,
        "error_rate": round(rate, 6),
        "error_rate_ok": rate < ERROR_BUDGET,
        "waiting_room_answers": runner.waiting_room,
        "chat_reconnects": runner.reconnects,
        "ops_per_s": round(ops_per_s, 1),
        "healthz_per_s": round(measured["healthz_per_s"], 1),
        "ops_per_s_vs_healthz_per_s": round(ops_per_s / max(1e-9, measured["healthz_per_s"]), 4),
    }


def _workload(
    deploy: Deployment, options: dict[str, Any], users: int, duration: float, phases: dict[str, float]
) -> tuple[dict[str, Any], Runner, dict[str, Any], dict[str, Any]]:
    """Seed, run the virtual users, then read back what they did."""
    mark = time.monotonic()
    seed = django_call(
        deploy,
        "setup",
        test_mode=True,
        users=users,
        vault_items=int(options.get("vault_items", 50)),
        group_size=int(options.get("group_size", 4)),
        editions=int(options.get("editions", 100_000)),
        per_user=int(options.get("per_user", 10_000)),
    )
    seed["static_root"] = str(deploy.var / "static")
    phases["seed_s"] = time.monotonic() - mark
    runner = Runner(deploy.url, deploy.ca, seed, {**options, "duration": duration})
    measured = asyncio.run(runner.main(float(options.get("baseline_seconds", 10))))
    mark = time.monotonic()
    checked = django_call(
        deploy,
        "verify",
        store_id=seed["store_id"],
        drop_id=seed["drop"],
        drain_seconds=float(options.get("drain_seconds", 120)),
    )
    phases["verify_s"] = time.monotonic() - mark
    return seed, runner, measured, checked


def run(options: dict[str, Any]) -> dict[str, Any]:
    users = int(options.get("users", 20))
    duration = float(options.get("duration", 300))
    phases: dict[str, float] = {}
    kept = Path(options["keep_logs"]) if options.get("keep_logs") else None
    with tempfile.TemporaryDirectory(prefix="ssg-load-") as tmp, _database() as database:
        var = Path(tmp)
        started = time.monotonic()
        try:
            with deployment(var, database=database) as deploy:
                phases["start_s"] = time.monotonic() - started
                _seed, runner, measured, checked = _workload(deploy, options, users, duration, phases)
        finally:
            if kept and (var / "deploy" / "logs").exists():  # kept on failure too: that is when they matter
                shutil.copytree(var / "deploy" / "logs", kept, dirs_exist_ok=True)
        phases["total_s"] = time.monotonic() - started
    result = {
        "name": NAME,
        "layout": "nginx + 2 web (granian WSGI) + websockets (granian ASGI) + RQ worker + chain node",
        "database": "postgresql",
        "users": users,
        "duration_s": round(measured["elapsed"], 1),
        **report(runner, measured),
        "after": checked,
        **{k: round(v, 1) for k, v in phases.items()},
    }
    result["ok"] = bool(
        result["error_rate_ok"]
        and checked["ledger_ok"]
        and checked["editions_minted"] == checked["editions_sold"]
        and checked["paid_orders"] == result["ops"]["checkout"]["count"] - result["ops"]["checkout"]["errors"]
    )
    return result


if __name__ == "__main__":
    print(json.dumps(run({})))
