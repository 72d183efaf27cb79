"""Outbox events run through the real database task queue and its worker, not only inline."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from sangsaeng.core import outbox
from sangsaeng.core.models import OutboxEvent

pytestmark = pytest.mark.django_db(transaction=True)

RAN: list[dict] = []


@outbox.handles("queue_checked")
def _ran(payload):
    RAN.append(payload)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}})
def test_an_event_waits_in_the_queue_until_the_worker_runs_it():
    from django_tasks_db.models import DBTaskResult

    RAN.clear()
    # given an event emitted with the database queue configured
    event = outbox.event_emit(name="queue_checked", payload={"n": 7})
    # then a task is queued and nothing ran yet
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert RAN == []
    # when the worker processes the queue
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    # then the handler ran once and the event is done
    event.refresh_from_db()
    assert RAN == [{"n": 7}]
    assert event.processed_at is not None
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


def test_worker_once_runs_the_periodic_sweep(capsys):
    OutboxEvent.objects.create(name="queue_checked", payload={}, attempts=1)
    call_command("worker", "--once")
    assert "outbox" in capsys.readouterr().out
