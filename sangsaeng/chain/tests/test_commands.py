"""`sangsaeng chain deploy | build --check | status | work --once` as an operator runs them."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from sangsaeng.chain.models import DeployedContract

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("chain", *args, stdout=out)
    return out.getvalue()


def test_deploy_twice_deploys_once_and_status_shows_the_registry(embedded):
    first = json.loads(_run("deploy"))
    second = json.loads(_run("deploy"))
    assert first == second
    assert DeployedContract.objects.count() == 3
    status = json.loads(_run("status"))
    assert status["contracts"] == first
    assert status["transactions"] == {"confirmed": 3}


def test_build_check_passes_on_the_committed_artifacts():
    assert "match" in _run("build", "--check")


def test_work_once_runs_one_pass(embedded, deployed):
    result = json.loads(_run("work", "--once"))
    assert result["sent"] == 0
    assert result["indexed"] == 0
