"""Background work of the LM commons: the pipeline over one contribution (idempotent)."""

from __future__ import annotations

from django_tasks import task

from sangsaeng.contributions.services import contribution_process


@task()
def process_contribution(contribution_id: int) -> str:
    return contribution_process(contribution_id=contribution_id)
