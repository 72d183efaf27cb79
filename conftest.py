"""Shared fixtures: alice, bob and charlie, API clients with their tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from sangsaeng.accounts.services import token_create, user_create

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _isolated_caches(settings, tmp_path):
    from django.core.cache import caches

    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    settings.EMAIL_FILE_PATH = str(tmp_path / "outbox")
    yield


@pytest.fixture(autouse=True)
def _broadcasts_by_day(monkeypatch):
    """Broadcasts posted on the running clock count as posted in the daytime (KST), whatever the
    hour the suite runs at: from 21:00 to 08:00 KST an advertisement would wait for the morning, and
    the tests that are not about quiet hours would depend on the clock. The clock itself is not moved
    (a test that schedules "an hour ago" must still be in the past): the moment `timezone.now()`
    gives inside the broadcasts module is marked, and only a marked moment is never night. The
    quiet-hour tests pass their own fixed `now`, which keeps the real rule."""
    from datetime import datetime
    from types import SimpleNamespace

    from django.utils import timezone

    from sangsaeng.partners import broadcasts
    from sangsaeng.partners.quiet_hours import is_night

    class RunningClock(datetime):
        """A moment read from the running clock during a test."""

    def now():
        moment = timezone.now()
        return RunningClock.combine(moment.date(), moment.timetz())

    def night(moment):
        return False if isinstance(moment, RunningClock) else is_night(moment)

    monkeypatch.setattr(broadcasts, "timezone", SimpleNamespace(now=now))
    monkeypatch.setattr(broadcasts, "is_night", night)


@pytest.fixture
def alice(db):
    return user_create(email="alice@example.com", password=PASSWORD, display_name="앨리스", verified=True)


@pytest.fixture
def bob(db):
    return user_create(email="bob@example.com", password=PASSWORD, display_name="밥", verified=True)


class ApiClient(Client):
    """A test client that sends JSON and a bearer token."""

    def __init__(self, token: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def _headers(self, headers):
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path, data=None, headers=None, **extra):  # type: ignore[override]
        return super().get(path, data, headers=self._headers(headers), **extra)

    def post(self, path, data=None, headers=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().post(path, data, content_type=content_type, headers=self._headers(headers), **extra)

    def patch(self, path, data=None, headers=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().patch(path, data, content_type=content_type, headers=self._headers(headers), **extra)

    def put(self, path, data=None, headers=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().put(path, data, content_type=content_type, headers=self._headers(headers), **extra)

    def delete(self, path, data=None, headers=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().delete(path, data, content_type=content_type, headers=self._headers(headers), **extra)


@pytest.fixture
def api_alice(alice):
    _token, secret = token_create(user=alice, label="test")
    return ApiClient(secret)


@pytest.fixture
def api_bob(bob):
    _token, secret = token_create(user=bob, label="test")
    return ApiClient(secret)


@pytest.fixture
def anon_api():
    return ApiClient()
