"""The 테스트 결제 method is on in development and off in the production profile unless switched on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The PostgreSQL pass leaves this out as an exact repeat: subprocesses that only load settings.
pytestmark = pytest.mark.backend_free

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "SANGSAENG_PROFILE": "production",
    "SECRET_KEY": "p" * 20 + "-production-secret-key-that-is-long-enough-0123456789",
    "SANGSAENG_ENCRYPTION_KEYS": "k2026:" + "e" * 48,
    "ALLOWED_HOSTS": "sangsaeng.example",
}
PRINT = "from django.conf import settings; print(settings.PAYMENTS_TEST_MODE, bool(settings.TOSS_SECRET_KEY))"


def _test_mode(tmp_path: Path, extra: dict[str, str]) -> str:
    skip = ("SECRET_KEY", "SANGSAENG_", "DATABASE_URL", "PAYMENTS_", "TOSS_", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update({"PYTHONPATH": str(ROOT), "SANGSAENG_VAR_DIR": str(tmp_path), **extra})
    result = subprocess.run(
        [sys.executable, "-m", "sangsaeng.cli", "shell", "-c", PRINT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_test_mode_is_off_in_production_and_card_needs_keys(tmp_path):
    assert _test_mode(tmp_path, PRODUCTION) == "False False"
    assert _test_mode(tmp_path, {**PRODUCTION, "PAYMENTS_TEST_MODE": "true"}) == "True False"
    assert _test_mode(tmp_path, {"SANGSAENG_PROFILE": "development"}) == "True False"
