"""Periodic work the worker runs on a timer: lost or retried outbox events, due webhooks.

Apps add their own jobs (purges, confirmations) with `periodic_register`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import close_old_connections

from sangsaeng.core.idempotency import idempotency_purge
from sangsaeng.core.outbox import outbox_sweep
from sangsaeng.core.webhooks import webhook_sweep

_JOBS: dict[str, Callable[[], object]] = {
    "outbox": outbox_sweep,
    "webhooks": webhook_sweep,
    "idempotency": idempotency_purge,
}


def periodic_register(name: str, job: Callable[[], object]) -> None:
    _JOBS[name] = job


def periodic_run() -> dict[str, object]:
    close_old_connections()
    results: dict[str, object] = {}
    for name, job in _JOBS.items():
        results[name] = job()
    return results
