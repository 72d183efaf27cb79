"""Process specs for `sangsaeng serve`/`web`/`worker` and a tiny supervisor.

HTTP goes through granian's WSGI interface with a worker per core, because Django's ASGI handler
runs every sync view on one thread (348 vs 5,058 req/s measured here). WebSockets go to Channels on
granian's ASGI interface. Each part is a child process; if one dies, the supervisor stops the rest
and exits non-zero, so an init system restarts the whole unit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings


@dataclass
class ProcessSpec:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


def _granian() -> str:
    return str(Path(sys.executable).with_name("granian"))


def _sangsaeng() -> list[str]:
    return [sys.executable, "-m", "sangsaeng.cli"]


def wsgi_spec(*, name: str, host: str, port: int, workers: int, tls: tuple[Path, Path] | None = None) -> ProcessSpec:
    argv = [
        _granian(),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "4",
        "--respawn-failed-workers",
        "--no-ws",
        "--log-level",
        "warning",
    ]
    if tls:
        argv += ["--ssl-certificate", str(tls[0]), "--ssl-keyfile", str(tls[1])]
    return ProcessSpec(name=name, argv=[*argv, "sangsaeng.wsgi:application"])


def asgi_spec(*, host: str, port: int) -> ProcessSpec:
    # One process: with the in-memory channel layer every socket must live in the same process.
    return ProcessSpec(
        name="websockets",
        env={"SANGSAENG_WS_HUB": "1"},
        argv=[
            _granian(),
            "--interface",
            "asginl",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "sangsaeng.asgi:application",
        ],
    )


def worker_spec() -> ProcessSpec:
    return ProcessSpec(name="worker", argv=[*_sangsaeng(), "worker"])


def task_runner_spec() -> ProcessSpec:
    """The task backend's own worker: django-tasks-db's db_worker, or RQ's worker with Redis."""
    if str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_rq"):
        return ProcessSpec(name="rq", argv=[*_sangsaeng(), "rqworker", "default", "--with-scheduler"])
    return ProcessSpec(
        name="db-tasks", argv=[*_sangsaeng(), "db_worker", "--interval", "0.5", "--no-reload", "--no-startup-delay"]
    )


def _die_with_parent() -> None:
    """In the child, before exec: the kernel sends it SIGTERM when the supervisor dies, even by kill -9,
    so a restarted supervisor never finds an orphan still holding its port (Linux prctl PR_SET_PDEATHSIG)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def supervise(specs: Sequence[ProcessSpec], *, on_tick: object = None, tick_seconds: float = 5.0) -> int:
    """Start every spec, forward SIGINT/SIGTERM, and stop all when any child exits."""
    children: list[tuple[ProcessSpec, subprocess.Popen[bytes]]] = []
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sangsaeng.settings"}
    for spec in specs:
        orphan_guard = _die_with_parent if sys.platform.startswith("linux") else None
        children.append((spec, subprocess.Popen(spec.argv, env={**env, **spec.env}, preexec_fn=orphan_guard)))
    exit_code = 0
    next_tick = time.monotonic()
    try:
        while not stopping:
            for spec, proc in children:
                code = proc.poll()
                if code is not None:
                    print(f"sangsaeng: {spec.name} exited with {code}; stopping", file=sys.stderr, flush=True)
                    exit_code = code or 1
                    stopping = True
            if on_tick is not None and time.monotonic() >= next_tick:
                next_tick = time.monotonic() + tick_seconds
                try:
                    on_tick()  # type: ignore[operator]
                except Exception as exc:  # the sweeper must never take the worker down
                    print(f"sangsaeng: periodic work failed: {exc!r}", file=sys.stderr, flush=True)
            time.sleep(0.2)
    finally:
        for _spec, proc in children:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 10
        for _spec, proc in children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
    return exit_code


_EXTRA: list[ProcessSpec] = []


def extra_process_register(spec: ProcessSpec) -> None:
    """Apps that own a process (the embedded chain node) add it to `sangsaeng serve`."""
    _EXTRA.append(spec)


def extra_process_specs() -> list[ProcessSpec]:
    return list(_EXTRA)
