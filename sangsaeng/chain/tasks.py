"""Background task: run the outbox worker as soon as an intent commits, not only on the periodic tick."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from sangsaeng.chain.worker import chain_sweep


@task()
def process_chain_outbox() -> dict[str, Any]:
    """Idempotent: a pass with nothing to do, or one that finds the relayer lease taken, changes nothing."""
    return chain_sweep()
