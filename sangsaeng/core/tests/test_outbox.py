import pytest

from sangsaeng.core import outbox
from sangsaeng.core.models import OutboxEvent

pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[tuple[str, dict]] = []
FAIL_ONCE: set[str] = set()


@outbox.handles("thing_happened")
def _record(payload):
    CALLS.append(("record", payload))


@outbox.handles("thing_happened")
def _flaky(payload):
    if payload.get("flaky") and "flaky" not in FAIL_ONCE:
        FAIL_ONCE.add("flaky")
        raise RuntimeError("boom")
    CALLS.append(("flaky", payload))


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    FAIL_ONCE.clear()


def test_an_emitted_event_runs_its_handlers_after_commit():
    from django.db import transaction

    with transaction.atomic():
        event = outbox.event_emit(name="thing_happened", payload={"n": 1})
        assert CALLS == []  # nothing runs before the commit
    event.refresh_from_db()
    assert sorted(c[0] for c in CALLS) == ["flaky", "record"]
    assert event.processed_at is not None


def test_a_rolled_back_transaction_leaves_no_event():
    from django.db import transaction

    with pytest.raises(ValueError), transaction.atomic():
        outbox.event_emit(name="thing_happened", payload={})
        raise ValueError
    assert OutboxEvent.objects.count() == 0
    assert CALLS == []


def test_a_failed_handler_is_retried_and_the_finished_one_is_not_run_again():
    from django.utils import timezone

    event = outbox.event_emit(name="thing_happened", payload={"flaky": True})
    event.refresh_from_db()
    assert event.processed_at is None
    assert event.handled == ["sangsaeng.core.tests.test_outbox._record"]
    assert "boom" in event.last_error
    # when the retry comes due
    OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
    assert outbox.outbox_sweep() == 1
    event.refresh_from_db()
    assert event.processed_at is not None
    assert [c[0] for c in CALLS].count("record") == 1
    assert [c[0] for c in CALLS].count("flaky") == 1


def test_the_sweeper_picks_up_an_event_whose_task_was_lost():
    from datetime import timedelta

    from django.utils import timezone

    event = OutboxEvent.objects.create(name="thing_happened", payload={"lost": True})
    OutboxEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert outbox.outbox_sweep() == 1
    event.refresh_from_db()
    assert event.processed_at is not None
    assert len(CALLS) == 2
