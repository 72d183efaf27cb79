"""Background tasks of the core: outbox events and webhook deliveries (idempotent)."""

from __future__ import annotations

from django_tasks import task

from sangsaeng.core import outbox, webhooks


@task()
def process_outbox_event(event_id: int) -> bool:
    return outbox.event_process(event_id=event_id)


@task()
def deliver_webhook(delivery_id: int) -> None:
    webhooks.delivery_attempt(delivery_id=delivery_id)
