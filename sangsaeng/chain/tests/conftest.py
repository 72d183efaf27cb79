"""Chain nodes for the tests: the embedded node and anvil, each started once per run on a free port."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sangsaeng.chain.relayer import TEST_RELAYER_KEY

ROOT = Path(__file__).resolve().parents[3]
ANVIL = ROOT / ".npm-tools" / "node_modules" / ".bin" / "anvil"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rpc(url: str, method: str, params: list | None = None) -> dict:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def wait_for_rpc(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"node exited with {proc.returncode}")
        try:
            rpc(url, "eth_chainId")
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no JSON-RPC at {url} after {timeout}s")


def node_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAIN_")}
    return {**env, "SANGSAENG_PROFILE": "test", "CHAIN_RELAYER_KEY": TEST_RELAYER_KEY, **extra}


def start_embedded(data_dir: Path, port: int) -> subprocess.Popen:
    """`sangsaeng chain-node` as its own process, like `sangsaeng serve` runs it."""
    argv = [sys.executable, "-m", "sangsaeng.cli", "chain-node", "--port", str(port), "--data-dir", str(data_dir)]
    proc = subprocess.Popen(argv, env=node_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_rpc(f"http://127.0.0.1:{port}", proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def embedded_node(tmp_path_factory):
    port = free_port()
    proc = start_embedded(tmp_path_factory.mktemp("chain"), port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


@pytest.fixture(scope="session")
def anvil_node():
    binary = str(ANVIL) if ANVIL.exists() else shutil.which("anvil")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("anvil is missing: `make npm-tools` installs @foundry-rs/anvil into .npm-tools/")
        pytest.skip("anvil is not installed here; `make npm-tools` installs @foundry-rs/anvil into .npm-tools/")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--silent", "--chain-id", "31337", "--hardfork", "prague"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for_rpc(url, proc)
    yield url
    stop(proc)


@pytest.fixture(params=["embedded", "anvil"])
def chain_url(request, settings):
    """The gateway suite runs once per node: the embedded chain and anvil, a real node."""
    url = request.getfixturevalue(f"{request.param}_node")
    settings.CHAIN_RPC_URL = url
    settings.CHAIN_CONFIRMATIONS = 1
    if request.param == "anvil":
        from sangsaeng.chain.relayer import relayer_account

        rpc(url, "anvil_setBalance", [relayer_account().address, hex(10**24)])
    return url


@pytest.fixture
def embedded(settings, embedded_node):
    settings.CHAIN_RPC_URL = embedded_node
    return embedded_node


@pytest.fixture
def deployed(db):
    from sangsaeng.chain.deploy import contracts_deploy

    return contracts_deploy()


def settle(passes: int = 40) -> None:
    """Run the worker until nothing is in flight. anvil mines a sent transaction a moment after
    answering, so one pass may end before its receipt exists; the periodic worker simply catches
    it on its next pass, and so does this loop."""
    from sangsaeng.chain.models import ChainTransaction
    from sangsaeng.chain.worker import chain_sweep

    for _ in range(passes):
        chain_sweep()
        if not ChainTransaction.objects.filter(status__in=["queued", "sent", "mined"]).exists():
            return
        time.sleep(0.05)
