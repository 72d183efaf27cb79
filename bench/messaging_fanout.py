"""`sangsaeng bench fanout --clients 500 --conversations 50`: chat fan-out over live WebSockets.

A child process with a throwaway var directory and SQLite database starts the WebSocket server the
way `sangsaeng serve` does (granian `asginl`, SANGSAENG_WS_HUB=1), opens `clients` WebSocket
clients (one user each, signed in by session cookie) spread over `conversations` group
conversations, and has one member of each conversation send `messages` chat messages as `send`
frames. Each message is stored (seq in a transaction), acknowledged, and fanned out to every member.

- **chat**: messages delivered per second to clients (deliveries / time from first send to last
  delivery) and delivery latency p50/p99 (send frame -> message frame at each receiver).
- **raw**: in the same run, the same number of message frames per conversation pushed with a bare
  channel-layer `group_send` from this process (through the loopback bridge, or Redis with
  REDIS_URL) to the same sockets: no database, no validation. `chat_vs_raw` = chat rate / raw rate.

Options: `clients` (500), `conversations` (50), `messages` per conversation (10).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NAME = "fanout"
ROOT = Path(__file__).resolve().parents[1]


def _setup(clients: int, conversations: int) -> tuple[list[str], list[str], list[list[int]]]:
    """Users, sessions and group conversations; returns cookies, conversation ids, members per conversation."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from sangsaeng.accounts.models import User
    from sangsaeng.messaging import services

    User.objects.bulk_create(
        [User(email=f"fan{i}@bench.example", display_name=f"팬{i}", password="!") for i in range(clients)]
    )
    users = list(User.objects.filter(email__endswith="@bench.example").order_by("id"))
    cookies = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    groups: list[list[int]] = [[] for _ in range(conversations)]
    for index in range(clients):
        groups[index % conversations].append(index)
    ids = []
    for number, members in enumerate(groups):
        owner, *rest = (users[i] for i in members)
        conversation = services.conversation_group_create(actor=owner, title=f"벤치 {number}", members=rest)
        ids.append(str(conversation.public_id))
    return cookies, ids, groups


async def _measure(port: int, cookies: list[str], ids: list[str], groups: list[list[int]], per: int) -> dict[str, Any]:
    import websockets
    from channels.layers import get_channel_layer

    url = f"ws://127.0.0.1:{port}/ws/chat/"
    sockets: list[Any] = [None] * len(cookies)
    sem = asyncio.Semaphore(50)

    async def open_one(i: int) -> None:
        async with sem:
            ws = await websockets.connect(
                url, additional_headers={"Cookie": cookies[i], "Origin": f"http://127.0.0.1:{port}"}, max_queue=None
            )
            hello = json.loads(await ws.recv())
            assert hello["type"] == "hello"
            sockets[i] = ws

    await asyncio.gather(*(open_one(i) for i in range(len(cookies))))
    received: list[list[float]] = [[], []]  # latencies per phase
    last_at = [0.0, 0.0]
    phase = [0]
    expected = [0]
    done = asyncio.Event()

    replies: dict[int, asyncio.Queue[dict[str, Any]]] = {id(ws): asyncio.Queue() for ws in sockets}
    refused: list[str] = []

    async def reader(ws: Any) -> None:
        async for raw in ws:
            frame = json.loads(raw)
            if frame["type"] in ("ack", "error"):
                await replies[id(ws)].put(frame)
            if frame["type"] != "message":
                continue
            now = time.time()
            sent = float(frame["message"]["text"].split(" ", 1)[1])
            received[phase[0]].append((now - sent) * 1000)
            last_at[phase[0]] = now
            if len(received[phase[0]]) >= expected[0]:
                done.set()

    async def settle(which: int) -> None:
        """Until every delivery arrived, or none arrived for 10 s (what is missing is reported)."""
        while not done.is_set():
            before = len(received[which])
            try:
                await asyncio.wait_for(done.wait(), timeout=10)
            except TimeoutError:
                if len(received[which]) == before:
                    return

    readers = [asyncio.ensure_future(reader(ws)) for ws in sockets]
    deliveries = sum(len(g) * per for g in groups)

    # phase 0: chat messages through the consumer, the database and the channel layer
    expected[0] = deliveries
    started = time.time()

    async def sender(ws: Any, conversation: str) -> None:
        # one message at a time per conversation, as a person types; a refusal (a busy database)
        # is retried with the same client_id, which stores it once
        for n in range(per):
            for _attempt in range(20):
                frame = {"type": "send", "conversation": conversation, "text": f"t {time.time()}", "client_id": f"b{n}"}
                await ws.send(json.dumps(frame))
                reply = await replies[id(ws)].get()
                if reply["type"] == "ack":
                    break
                refused.append(reply.get("code", ""))
                await asyncio.sleep(0.1)

    await asyncio.gather(*(sender(sockets[groups[c][0]], ids[c]) for c in range(len(ids))))
    await settle(0)
    chat_seconds = last_at[0] - started

    # phase 1: the same number of frames as bare group_send calls (seq and event numbers continue,
    # so sockets pass them)
    await asyncio.sleep(0.5)
    done.clear()
    phase[0] = 1
    layer = get_channel_layer()
    started = time.time()

    async def raw_sender(c: int) -> None:
        for n in range(per):
            data = {"conversation": ids[c], "seq": per + n + 1, "text": f"t {time.time()}"}
            message = {"type": "chat.event", "event": "message", "data": data, "ev": per + n + 1}
            await layer.group_send(f"chat.{ids[c]}", message)  # type: ignore[union-attr]
            if per > 30:
                await asyncio.sleep(0.06)

    await asyncio.gather(*(raw_sender(c) for c in range(len(ids))))
    await settle(1)
    raw_seconds = last_at[1] - started
    for task in readers:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)

    from bench.harness import percentile, record_samples

    record_samples("chat_delivery", received[0])
    record_samples("bare_group_send_delivery", received[1], baseline=True)
    chat_rate = len(received[0]) / chat_seconds
    raw_rate = len(received[1]) / raw_seconds
    return {
        "clients": len(cookies),
        "conversations": len(ids),
        "messages": per * len(ids),
        "deliveries": deliveries,
        "delivered_per_s": round(chat_rate, 1),
        "p50_ms": round(percentile(received[0], 50), 1),
        "p99_ms": round(percentile(received[0], 99), 1),
        "raw_delivered_per_s": round(raw_rate, 1),
        "raw_p50_ms": round(percentile(received[1], 50), 1),
        "raw_p99_ms": round(percentile(received[1], 99), 1),
        "chat_vs_raw": round(chat_rate / raw_rate, 3),
        "send_retries": len(refused),
        "lost": deliveries - len(received[0]),
        "raw_lost": deliveries - len(received[1]),
    }


def _child(options: dict[str, Any]) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    from bench.harness import free_port, wait_http

    port = free_port()
    os.environ["WS_PORT"] = str(port)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    clients, conversations = int(options.get("clients", 500)), int(options.get("conversations", 50))
    per = int(options.get("messages", 10))
    cookies, ids, groups = _setup(clients, conversations)
    argv = [
        str(Path(sys.executable).parent / "granian"),
        "--interface", "asginl", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        "--log-level", os.environ.get("FANOUT_SERVER_LOG_LEVEL", "error"), "sangsaeng.asgi:application",
    ]  # fmt: skip
    env = {**os.environ, "SANGSAENG_WS_HUB": "1"}
    log_path = Path(os.environ.get("SANGSAENG_VAR_DIR", tempfile.gettempdir())) / "fanout-websockets.log"
    server_log = open(log_path, "wb")  # noqa: SIM115 - closed after the server stops
    server = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=server_log)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=60)
        result = asyncio.run(_measure(port, cookies, ids, groups, per))
    except BaseException:
        sys.stderr.write("--- WebSocket server log ---\n" + log_path.read_text(errors="replace")[-4000:])
        raise
    finally:
        server.terminate()
        server.wait(timeout=10)
        server_log.close()
    return {"name": NAME, **result}


def run(options: dict[str, Any]) -> dict[str, Any]:
    """Run in a child process with a throwaway var directory and database; return its JSON fields."""
    with tempfile.TemporaryDirectory(prefix="ssg-bench-fanout-") as var:
        env = {**os.environ, "SANGSAENG_VAR_DIR": var, "DEBUG": "false", "SANGSAENG_PROFILE": "development"}
        env.pop("DATABASE_URL", None)
        child = subprocess.run(
            [sys.executable, "-m", "bench.messaging_fanout", json.dumps({k: str(v) for k, v in options.items()})],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            raise RuntimeError(f"fanout benchmark failed: {child.stderr[-3000:]}")
        return dict(json.loads(child.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    print(json.dumps(_child(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})))
