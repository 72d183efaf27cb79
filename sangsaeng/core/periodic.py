"""Periodic work the worker runs on a timer: lost or retried outbox events, due webhooks.

Apps add their own jobs (purges, confirmations) with `periodic_register`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import close_old_connections

from sangsaeng.core.idempotency import idempotency_purge
from sangsaeng.core.outbox import outbox_sweep
from sangsaeng.core.webhooks import webhook_sweep

log = logging.getLogger(__name__)

_JOBS: dict[str, Callable[[], object]] = {
    "outbox": outbox_sweep,
    "webhooks": webhook_sweep,
    "idempotency": idempotency_purge,
}


def periodic_register(name: str, job: Callable[[], object]) -> None:
    _JOBS[name] = job


def periodic_run() -> dict[str, object]:
    """Run every job once. A job that raises is logged and reported as its result; the jobs after it
    still run (a chain error must not hold back the reservation sweep), and it runs again next tick."""
    close_old_connections()
    results: dict[str, object] = {}
    for name, job in _JOBS.items():
        try:
            results[name] = job()
        except Exception as exc:  # one job's failure is reported, never the whole tick's
            log.exception("periodic job %s failed", name)
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return results
