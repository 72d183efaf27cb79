"""The production profile refuses to start without its secrets, and check --deploy is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The PostgreSQL pass leaves this out as an exact repeat: subprocesses that only load settings and run checks.
pytestmark = pytest.mark.backend_free

ROOT = Path(__file__).resolve().parents[3]


def _run(env_extra, *args):
    skip = ("SECRET_KEY", "SANGSAENG_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update({"PYTHONPATH": str(ROOT), **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "sangsaeng.cli", *args], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT
    )


PRODUCTION = {
    "SANGSAENG_PROFILE": "production",
    "SECRET_KEY": "p" * 20 + "-production-secret-key-that-is-long-enough-0123456789",
    "SANGSAENG_ENCRYPTION_KEYS": "k2026:" + "e" * 48,
    "ALLOWED_HOSTS": "sangsaeng.example",
    "CSRF_TRUSTED_ORIGINS": "https://sangsaeng.example",
}


def test_production_refuses_to_start_without_secrets(tmp_path):
    result = _run({"SANGSAENG_PROFILE": "production", "SANGSAENG_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is required" in result.stderr


def test_production_refuses_a_short_secret(tmp_path):
    result = _run({**PRODUCTION, "SECRET_KEY": "short", "SANGSAENG_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_check_deploy_is_clean_under_production(tmp_path):
    result = _run({**PRODUCTION, "SANGSAENG_VAR_DIR": str(tmp_path)}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
