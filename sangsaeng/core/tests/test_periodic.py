"""The worker's periodic tick: one job that raises does not hold back the jobs after it."""

from __future__ import annotations

import pytest

from sangsaeng.core import periodic


@pytest.mark.django_db
def test_a_failing_job_is_reported_and_the_jobs_after_it_still_run(monkeypatch):
    ran: list[str] = []

    def broken() -> object:
        ran.append("broken")
        raise ConnectionError("chain node unreachable")

    def sweep() -> object:
        ran.append("sweep")
        return 3

    monkeypatch.setattr(periodic, "_JOBS", {"broken": broken, "sweep": sweep})
    results = periodic.periodic_run()
    assert ran == ["broken", "sweep"]
    assert results == {"broken": {"error": "ConnectionError: chain node unreachable"}, "sweep": 3}
    # and the next tick runs the broken job again
    periodic.periodic_run()
    assert ran == ["broken", "sweep", "broken", "sweep"]
