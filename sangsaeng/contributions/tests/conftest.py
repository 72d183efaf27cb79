"""Fixtures shared by the commons tests (and the LM provenance test, which contributes text too)."""

from __future__ import annotations

import pytest

# One embedded chain node for every commons test that needs one (session-scoped, started on first use).
from sangsaeng.chain.tests.conftest import deployed, embedded, embedded_node  # noqa: F401  (fixtures)


@pytest.fixture
def pipeline_runs_now(monkeypatch):
    """Run the commons' on_commit callbacks (the pipeline task) right away: the test transaction
    never commits. Other apps' callbacks (the outbox kick) still wait for a commit that never comes."""
    from django.db import transaction

    real = transaction.on_commit

    def on_commit(fn, using=None, robust=False):
        if fn.__module__ == "sangsaeng.contributions.services":
            return fn()
        return real(fn, using=using, robust=robust)

    monkeypatch.setattr(transaction, "on_commit", on_commit)
