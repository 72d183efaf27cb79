"""A contribution whose pipeline task was lost (its worker killed mid-run) is decided by the worker's sweep.

django-tasks-db leaves a task RUNNING for good when its worker dies, and the pipeline's transaction
rolls back, so nothing else would ever decide the contribution. The kill -9 itself is exercised in
sangsaeng/core/tests/test_crash.py; here the lost task is a test transaction that never commits,
so the upload's on_commit enqueue never runs.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from sangsaeng.contributions import services
from sangsaeng.contributions.models import Contribution, Document
from sangsaeng.core import periodic

TEXT = (
    "우리 동네 전통시장은 새벽 다섯 시면 문을 엽니다. 생선 가게 아주머니는 얼음을 깔고, 떡집 아저씨는 "
    "김이 모락모락 나는 시루떡을 썰어 진열합니다. 주말이면 골목마다 사람이 가득합니다."
)


def test_the_sweep_decides_a_contribution_whose_task_was_lost_once_its_wait_is_over(alice, settings):
    # given a contribution whose task never ran
    settings.CONTRIBUTIONS_RETRY_AFTER_SECONDS = 60
    c = services.contribution_create(
        owner=alice, raw=TEXT.encode(), name="market.txt", licence="own_work", licence_accepted=True
    )
    # when the sweep runs within the wait, it leaves the contribution to its task
    assert services.contributions_retry_stalled() == 0
    c.refresh_from_db()
    assert c.status == Contribution.Status.PENDING and Document.objects.filter(contribution=c).count() == 0
    # then once the wait is over it decides it, and a second sweep finds nothing more to do
    Contribution.objects.filter(pk=c.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    assert services.contributions_retry_stalled() == 1
    c.refresh_from_db()
    assert c.status == Contribution.Status.ACCEPTED and c.raw == ""
    assert Document.objects.filter(contribution=c).count() == 1
    assert services.contributions_retry_stalled() == 0
    assert Document.objects.filter(contribution=c).count() == 1


def test_the_worker_runs_the_sweep_on_its_timer():
    assert periodic._JOBS["contributions_retry_stalled"] is services.contributions_retry_stalled
