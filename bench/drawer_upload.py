"""`sangsaeng bench upload`: a 200 MB tus upload against writing the same bytes to disk and hashing them.

The server is granian (WSGI) on its own SQLite file; the upload is one tus creation plus PATCHes
of 8 MiB, and it ends when the server has hashed, encrypted and stored the blob. The baseline is
the least any server must do: write the bytes to a file and compute their SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.harness import free_port, granian, record_samples, server

NAME = "upload"
CHUNK = 8 * 1024 * 1024


def _token(env: dict[str, str]) -> str:
    cli = [sys.executable, "-m", "sangsaeng.cli"]
    subprocess.run([*cli, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run(
        [*cli, "users", "create", "--email", "bench@example.com", "--password", "bench-password-2026", "--verified"],
        env=env,
        check=True,
        capture_output=True,
    )
    return subprocess.run(
        [*cli, "tokens", "create", "--email", "bench@example.com", "--label", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _baseline(path: Path, data: bytes) -> tuple[float, list[float]]:
    """Seconds for the whole file, and each 8 MiB chunk's write + hash in ms (for the plots)."""
    chunks = []
    started = time.perf_counter()
    digest = hashlib.sha256()
    with open(path, "wb") as fh:
        for i in range(0, len(data), CHUNK):
            one = time.perf_counter()
            piece = data[i : i + CHUNK]
            fh.write(piece)
            digest.update(piece)
            chunks.append((time.perf_counter() - one) * 1000)
        fh.flush()
        os.fsync(fh.fileno())
    digest.hexdigest()
    return time.perf_counter() - started, chunks


def _tus(base: str, token: str, data: bytes) -> float:
    headers = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
    name = base64.b64encode(b"bench.bin").decode()
    chunks: list[float] = []
    started = time.perf_counter()
    with httpx.Client(timeout=600) as client:
        created = client.post(
            f"{base}/files/",
            headers={**headers, "Upload-Length": str(len(data)), "Upload-Metadata": f"filename {name}"},
        )
        created.raise_for_status()
        url = created.headers["Location"]
        offset = 0
        while offset < len(data):
            piece = data[offset : offset + CHUNK]
            one = time.perf_counter()
            answer = client.patch(
                url,
                content=piece,
                headers={**headers, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
            )
            answer.raise_for_status()
            chunks.append((time.perf_counter() - one) * 1000)
            offset = int(answer.headers["Upload-Offset"])
    elapsed = time.perf_counter() - started
    record_samples("tus_patch_8MiB", chunks)
    return elapsed


def run(options: dict[str, Any]) -> dict[str, Any]:
    size_mb = int(options.get("mb", 200))
    data = os.urandom(size_mb * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="ssg-bench-") as var:
        env = {**os.environ, "SANGSAENG_VAR_DIR": var, "DEBUG": "false"}
        for name in ("DATABASE_URL", "STORAGE_URL", "REDIS_URL"):
            env.pop(name, None)
        token = _token(env)
        baseline, chunks = min(_baseline(Path(var) / f"raw{i}.bin", data) for i in range(2))
        record_samples("raw_write_sha256_8MiB", chunks, baseline=True)
        port = free_port()
        with server(
            granian("wsgi", "sangsaeng.wsgi:application", port, 1), env=env, probe=f"http://127.0.0.1:{port}/healthz"
        ):
            upload = _tus(f"http://127.0.0.1:{port}", token, data)
    mb = len(data) / 1e6
    return {
        "name": NAME,
        "mb": size_mb,
        "rps": {"tus_MBps": round(mb / upload, 1), "raw_write_sha256_MBps": round(mb / baseline, 1)},
        "seconds": {"tus": round(upload, 2), "raw_write_sha256": round(baseline, 2)},
        "ratio": {"tus_throughput_vs_raw_write_sha256": round(baseline / upload, 3)},
    }
