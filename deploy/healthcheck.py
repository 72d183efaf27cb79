"""Health of a deploy/run.sh deployment: every process alive and every part answering.

Checked, until all pass or the timeout ends:
- each process in the pid directory is alive;
- /healthz through nginx answers 200 with every check ok (database, Redis task queue, cache,
  storage, ledger, chain node);
- /healthz on each web process directly;
- a WebSocket upgrade through nginx to /ws/notifications/;
- a collected static file served by nginx with its long cache header;
- an RQ worker registered in Redis whose parent is the deployment's worker process.
Prints one JSON object; exits 0 when healthy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import ssl
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def _env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, eq, value = line.partition("=")
            if eq:
                values[name] = value
    return values


def _alive(pid_dir: Path) -> dict[str, Any]:
    down = []
    for pidfile in sorted(pid_dir.glob("*.pid")):
        try:
            os.kill(int(pidfile.read_text().strip()), 0)
        except (ProcessLookupError, ValueError):
            down.append(pidfile.stem)
    if down:
        raise RuntimeError(f"not running: {', '.join(down)}")
    return {"processes": sorted(p.stem for p in pid_dir.glob("*.pid"))}


def _healthz(url: str, verify: str | bool = True, host: str = "") -> dict[str, Any]:
    headers = {"Host": host} if host else {}
    response = httpx.get(f"{url}/healthz", verify=verify, timeout=10, headers=headers)
    body = response.json()
    if response.status_code != 200 or body.get("status") != "ok":
        bad = {k: v.get("error") for k, v in body.get("checks", {}).items() if v.get("status") != "ok"}
        raise RuntimeError(f"{url}/healthz answered {response.status_code}: {bad}")
    return {name: check.get("engine") or check.get("backend") or "ok" for name, check in body["checks"].items()}


def _static(url: str, static_root: Path, verify: str | bool) -> dict[str, Any]:
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    name = sorted(manifest["paths"].values())[0]
    response = httpx.get(f"{url}/static/{name}", verify=verify, timeout=10)
    if response.status_code != 200 or "immutable" not in response.headers.get("cache-control", ""):
        raise RuntimeError(f"/static/{name}: {response.status_code} {response.headers.get('cache-control')}")
    return {"file": name}


async def _websocket(url: str, ca: str) -> dict[str, Any]:
    import websockets

    ws_url = url.replace("https://", "wss://").replace("http://", "ws://") + "/ws/notifications/"
    context = None
    if ws_url.startswith("wss://"):
        context = ssl.create_default_context(cafile=ca or None)
    async with websockets.connect(ws_url, ssl=context, additional_headers={"Origin": url}, open_timeout=10) as ws:
        return {"upgraded": True, "subprotocol": ws.subprotocol}


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _rq_worker(redis_url: str, pid_dir: Path) -> dict[str, Any]:
    from redis import Redis
    from rq import Worker

    supervisor = int((pid_dir / "worker.pid").read_text())
    workers = Worker.all(connection=Redis.from_url(redis_url, socket_timeout=3))
    ours = []
    for worker in workers:
        try:
            if worker.pid and _parent(int(worker.pid)) == supervisor:
                ours.append(worker.name)
        except (FileNotFoundError, ValueError, IndexError):
            continue
    if not ours:
        raise RuntimeError(f"no RQ worker of process {supervisor} is registered ({len(workers)} others)")
    return {"rq_workers": ours}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--web-ports", default="")
    parser.add_argument("--ws-port", default="")
    parser.add_argument("--pid-dir", type=Path, required=True)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--ca", default="", help="The certificate to trust (the self-signed one).")
    args = parser.parse_args()
    deploy_dir = args.pid_dir.parent
    env = {**_env_file(deploy_dir / "environment"), **os.environ}
    verify: str | bool = args.ca or True
    static_root = Path(env.get("STATIC_ROOT") or Path(env.get("SANGSAENG_VAR_DIR", "var")) / "static")
    checks: dict[str, Any] = {
        "processes": lambda: _alive(args.pid_dir),
        "nginx_healthz": lambda: _healthz(args.url, verify),
        "static": lambda: _static(args.url, static_root, verify),
        "websocket": lambda: asyncio.run(_websocket(args.url, args.ca)),
    }
    host = env.get("ALLOWED_HOSTS", "127.0.0.1").split(",")[0]
    for i, port in enumerate(args.web_ports.split(), 1):
        checks[f"web-{i}"] = lambda port=port: _healthz(f"http://127.0.0.1:{port}", host=host)
    if env.get("REDIS_URL"):
        checks["worker"] = lambda: _rq_worker(env["REDIS_URL"], args.pid_dir)
    results: dict[str, Any] = {}
    deadline = time.monotonic() + args.timeout
    pending = list(checks)
    while True:
        for name in list(pending):
            try:
                results[name] = {"status": "ok", **checks[name]()}
                pending.remove(name)
            except Exception as exc:
                results[name] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
        if not pending or time.monotonic() > deadline:
            break
        if "processes" in pending:  # a process died: waiting will not help
            break
        time.sleep(0.5)
    healthy = not pending
    print(json.dumps({"status": "ok" if healthy else "error", "checks": results}, ensure_ascii=False))
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
