"""Shared pieces for benchmarks: free ports, servers in child processes, wrk runs, percentiles."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


@contextmanager
def server(argv: list[str], *, env: dict[str, str], probe: str) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_http(probe)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def granian(interface: str, target: str, port: int, workers: int) -> list[str]:
    return [
        str(VENV_BIN / "granian"),
        "--interface",
        interface,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "error",
        *(["--blocking-threads", "4", "--no-ws"] if interface == "wsgi" else []),
        target,
    ]


def wrk(
    url: str, *, seconds: int, connections: int = 16, threads: int = 2, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """Requests per second and latency percentiles from wrk (Debian package `wrk`)."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed: `apt-get install wrk` (make bench does it)")
    argv = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result = {"rps": round(rps, 1), "non_2xx": int(non2xx.group(1)) if non2xx else 0}
    for pct in ("50", "99"):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        if match:
            amount, unit = float(match.group(1)), match.group(2)
            scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
            result[f"p{pct}_ms"] = round(amount * scale, 3)
    return result


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
