"""Real processes for the crash suite: `sangsaeng web`, `sangsaeng worker` and `sangsaeng chain-node`
on one scenario's own SQLite file, killed with SIGKILL and started again.

Each part runs in its own session (process group), and a kill takes the whole group: that is how
an OOM kill, a container stop or a power cut ends a unit, children (granian's workers, the task
runner) included. The database file is a copy of the test run's migrated schema, so a scenario
pays for no migration.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from sangsaeng.chain.relayer import TEST_RELAYER_KEY

ROOT = Path(__file__).resolve().parents[3]
CLI = [sys.executable, "-m", "sangsaeng.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Callable[[], Any], *, timeout: float, what: str, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


class Stack:
    """One scenario's processes, database file and chain data, all under `root`."""

    def __init__(self, root: Path, template: Path, **env: str) -> None:
        self.root = root
        self.db = root / "db.sqlite3"
        self.db.write_bytes(template.read_bytes())
        self.web_port, self.node_port = free_port(), free_port()
        base = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "STORAGE_URL") and not k.startswith("CHAIN_")
        }
        self.env = {
            **base,
            "SANGSAENG_VAR_DIR": str(root / "var"),
            "SANGSAENG_PROFILE": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "sangsaeng.settings",
            "DATABASE_URL": f"sqlite:///{self.db}",
            "CHAIN_RPC_URL": f"http://127.0.0.1:{self.node_port}",
            "CHAIN_RELAYER_KEY": TEST_RELAYER_KEY,
            "CHAIN_CONFIRMATIONS": "1",
            "CHAIN_WORKER_LEASE_SECONDS": "2",
            "IDEMPOTENCY_STALE_SECONDS": "3",  # a key held by a killed request is taken over by the retry
            **env,
        }
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.base = f"http://127.0.0.1:{self.web_port}"

    def _argv(self, name: str) -> list[str]:
        if name == "web":
            return [*CLI, "web", "--host", "127.0.0.1", "--port", str(self.web_port), "--workers", "1"]
        if name == "worker":
            return [*CLI, "worker", "--tick", "0.5"]
        if name == "node":
            return [*CLI, "chain-node", "--port", str(self.node_port), "--data-dir", str(self.root / "chain")]
        raise ValueError(name)

    def start(self, name: str, *, wait: bool = True) -> subprocess.Popen[bytes]:
        log = (self.root / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            self._argv(name), env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.procs[name] = proc
        if wait and name == "web":
            wait_until(lambda: self._answers(f"{self.base}/healthz", proc), timeout=90, what="the web server")
        if wait and name == "node":
            wait_until(lambda: self._rpc_answers(proc), timeout=90, what="the chain node")
        return proc

    def _answers(self, url: str, proc: subprocess.Popen[bytes]) -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"exited with {proc.returncode}: {self.log_tail()}")
        try:
            httpx.get(url, timeout=2)
        except httpx.HTTPError:
            return False
        return True

    def _rpc_answers(self, proc: subprocess.Popen[bytes]) -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"chain node exited with {proc.returncode}: {self.log_tail()}")
        try:
            httpx.post(self.env["CHAIN_RPC_URL"], json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=2)
        except httpx.HTTPError:
            return False
        return True

    def kill(self, name: str) -> None:
        """SIGKILL the part's whole process group: no handler, no cleanup, no flush."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for name, proc in list(self.procs.items()):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            self.procs.pop(name)

    def probe(self, command: str, **args: Any) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "sangsaeng.core.tests.crash_probe", command, json.dumps(args)],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise AssertionError(f"probe {command} failed:\n{done.stderr[-4000:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the live database from outside the processes (read-only, as an operator would)."""
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as conn:
            return conn.execute(query, params).fetchall()

    def count(self, query: str, *params: Any) -> int:
        return int(self.sql(query, *params)[0][0])

    def log_tail(self) -> str:
        tails = []
        for log in sorted(self.root.glob("*.log")):
            tails.append(f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}")
        return "\n".join(tails)
