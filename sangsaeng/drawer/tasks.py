"""Background work of the Drawer: processing a stored item (idempotent)."""

from __future__ import annotations

from django_tasks import task

from sangsaeng.drawer.processing import item_process_now


@task()
def item_process(item_id: int) -> str:
    return item_process_now(item_id=item_id)
