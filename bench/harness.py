"""Shared pieces for benchmarks: free ports, servers in child processes, wrk runs, percentiles, and
the raw latency samples behind the report's plots (`record_samples`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

VENV_BIN = Path(sys.executable).parent
# `sangsaeng bench` points this at a file; `record_samples` appends one JSON line per series to it, from
# the benchmark's process or any child that inherits the environment. Unset: samples are dropped.
SAMPLES_ENV = "SANGSAENG_BENCH_SAMPLES"
# wrk reports its latency histogram through this script: the latency at each percentile, in µs.
_WRK_CDF_LUA = """
done = function(summary, latency, requests)
  for _, p in ipairs({1,2,5,10,20,30,40,50,60,70,75,80,85,90,95,97.5,99,99.5,99.9,99.99}) do
    io.write(string.format("CDF %g %d\\n", p, latency:percentile(p)))
  end
  io.write(string.format("CDF 100 %d\\n", latency.max))
end
"""


def record_samples(series: str, values: Iterable[float], *, unit: str = "ms", baseline: bool = False) -> None:
    """Keep one series of raw samples (latencies in ms unless `unit` says otherwise) for the plots.

    `baseline` marks the series the benchmark compares against. Additive: the JSON line is unchanged.
    """
    _append_series(
        {"series": series, "unit": unit, "baseline": baseline, "samples": [round(float(v), 4) for v in values]}
    )


def record_cdf(series: str, points: Iterable[tuple[float, float]], *, baseline: bool = False) -> None:
    """Keep a latency distribution known only by its percentiles (wrk): [(percentile, ms), ...]."""
    _append_series({"series": series, "unit": "ms", "baseline": baseline, "cdf": [[p, ms] for p, ms in points]})


def _append_series(entry: dict[str, object]) -> None:
    path = os.environ.get(SAMPLES_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 120.0) -> None:
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
    url: str,
    *,
    seconds: int,
    connections: int = 16,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    series: str | None = None,
    baseline: bool = False,
) -> dict[str, float]:
    """Requests per second and latency percentiles from wrk (Debian package `wrk`).

    With `series`, wrk's whole latency histogram (as percentiles) is kept for the plots.
    """
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed: `apt-get install wrk` (make bench does it)")
    argv = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_CDF_LUA)
    try:
        out = subprocess.run([*argv, "-s", script.name, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    if series:
        cdf = [(float(p), int(us) / 1000) for p, us in re.findall(r"^CDF ([\d.]+) (\d+)$", out, re.M)]
        record_cdf(series, cdf, baseline=baseline)
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
