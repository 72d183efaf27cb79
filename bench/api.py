"""`sangsaeng bench api`: an authenticated /api/v1 read and /healthz against a bare Django view.

All three are served the same way (granian WSGI, a worker per core) in the same run; a bare ASGI
hello-world is the reference ceiling.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import Any

from bench.harness import free_port, granian, server, wrk

NAME = "api"


def _prepare(env: dict[str, str]) -> str:
    cli = [sys.executable, "-m", "sangsaeng.cli"]
    subprocess.run([*cli, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run(
        [*cli, "users", "create", "--email", "bench@example.com", "--password", "bench-password-2026", "--verified"],
        env=env,
        check=True,
        capture_output=True,
    )
    token = subprocess.run(
        [*cli, "tokens", "create", "--email", "bench@example.com", "--label", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return token


def run(options: dict[str, Any]) -> dict[str, Any]:
    seconds = int(options.get("seconds", 5))
    workers = int(options.get("workers", os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="ssg-bench-") as var:
        env = {**os.environ, "SANGSAENG_VAR_DIR": var, "SANGSAENG_URLCONF": "bench.urls", "DEBUG": "false"}
        env.pop("DATABASE_URL", None) if options.get("sqlite") else None
        token = _prepare(env)
        results: dict[str, Any] = {}
        port = free_port()
        with server(
            granian("wsgi", "sangsaeng.wsgi:application", port, workers),
            env=env,
            probe=f"http://127.0.0.1:{port}/_bench/constant",
        ):
            base = f"http://127.0.0.1:{port}"
            wrk(f"{base}/_bench/constant", seconds=1)  # warm every worker
            results["bare_django"] = wrk(
                f"{base}/_bench/constant", seconds=seconds, series="bare_django", baseline=True
            )
            results["api_read"] = wrk(
                f"{base}/api/v1/me", seconds=seconds, headers={"Authorization": f"Bearer {token}"}, series="api_read"
            )
            results["healthz"] = wrk(f"{base}/healthz", seconds=seconds, series="healthz")
        port = free_port()
        with server(granian("asgi", "bench.bare_asgi:app", port, workers), env=env, probe=f"http://127.0.0.1:{port}/"):
            results["bare_asgi"] = wrk(f"http://127.0.0.1:{port}/", seconds=seconds, series="bare_asgi")
    bare = results["bare_django"]["rps"]
    return {
        "name": NAME,
        "seconds": seconds,
        "workers": workers,
        "connections": 16,
        "rps": {k: v["rps"] for k, v in results.items()},
        "p99_ms": {k: v.get("p99_ms") for k, v in results.items()},
        "errors": {k: v["non_2xx"] for k, v in results.items()},
        "ratio": {
            "api_read_vs_bare_django": round(results["api_read"]["rps"] / bare, 3),
            "healthz_vs_bare_django": round(results["healthz"]["rps"] / bare, 3),
            "bare_django_vs_bare_asgi": round(bare / results["bare_asgi"]["rps"], 3),
        },
    }
