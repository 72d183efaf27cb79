"""The transactional outbox: domain events written with the change, handled by tasks.

`event_emit` writes an OutboxEvent inside the caller's transaction and, once it commits, enqueues
a task that runs every registered handler. A handler that finished is remembered on the event, so
a retry after a crash runs only the ones that had not. Handlers must be idempotent anyway: a crash
between a handler's work and the bookkeeping commit can run it once more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from sangsaeng.core.models import OutboxEvent

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]
_HANDLERS: dict[str, dict[str, Handler]] = {}
MAX_ATTEMPTS = 10


def handles(event_name: str) -> Callable[[Handler], Handler]:
    """Register a handler for an event; its dotted name is its identity in `handled`."""

    def register(fn: Handler) -> Handler:
        _HANDLERS.setdefault(event_name, {})[f"{fn.__module__}.{fn.__qualname__}"] = fn
        return fn

    return register


def handlers_for(event_name: str) -> dict[str, Handler]:
    return dict(_HANDLERS.get(event_name, {}))


def event_emit(*, name: str, payload: dict[str, Any]) -> OutboxEvent:
    """Record a past-tense domain event (`account_deleted`) in the current transaction."""
    event = OutboxEvent.objects.create(name=name, payload=payload)

    def enqueue() -> None:
        from sangsaeng.core.tasks import process_outbox_event

        process_outbox_event.enqueue(event_id=event.pk)

    transaction.on_commit(enqueue)
    return event


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 2**attempts))


def event_process(*, event_id: int) -> bool:
    """Run the handlers an event still needs. Returns True when the event is fully processed."""
    with transaction.atomic():
        query = OutboxEvent.objects.filter(pk=event_id, processed_at__isnull=True)
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True)
        event = query.first()
        if event is None:
            return True
        done = set(event.handled)
        errors: list[str] = []
        for handler_name, handler in handlers_for(event.name).items():
            if handler_name in done:
                continue
            try:
                with transaction.atomic():
                    handler(dict(event.payload))
            except Exception as exc:
                log.exception("outbox handler %s failed on %s", handler_name, event.public_id)
                errors.append(f"{handler_name}: {exc!r}")
                continue
            done.add(handler_name)
        event.handled = sorted(done)
        event.attempts += 1
        if errors:
            event.last_error = "\n".join(errors)[:4000]
            event.next_attempt_at = timezone.now() + _backoff(event.attempts)
            if event.attempts >= MAX_ATTEMPTS:
                log.error("outbox event %s gave up after %s attempts", event.public_id, event.attempts)
                event.processed_at = timezone.now()
        else:
            event.processed_at = timezone.now()
            event.last_error = ""
        event.save(update_fields=["handled", "attempts", "last_error", "next_attempt_at", "processed_at"])
        return not errors


def events_due(limit: int = 100) -> list[int]:
    """Events that no task has finished: lost enqueues (a crash after commit) and retries."""
    now = timezone.now()
    # never attempted and older than a normal task's latency, or due for a retry
    lost = now - timedelta(seconds=settings.OUTBOX_LOST_AFTER_SECONDS)
    due = Q(attempts=0, created_at__lte=lost) | Q(attempts__gt=0, next_attempt_at__lte=now)
    return list(
        OutboxEvent.objects.filter(due, processed_at__isnull=True).order_by("id").values_list("id", flat=True)[:limit]
    )


def events_pending(*, name: str) -> list[int]:
    """Unprocessed events of one name, oldest first: for a command that runs them inline, as the worker would."""
    pending = OutboxEvent.objects.filter(name=name, processed_at__isnull=True).order_by("id")
    return list(pending.values_list("id", flat=True))


def outbox_sweep(limit: int = 100) -> int:
    """Process due events in this process; the worker calls it on a timer."""
    processed = 0
    for event_id in events_due(limit):
        event_process(event_id=event_id)
        processed += 1
    return processed
