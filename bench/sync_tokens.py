"""Sync token benchmark: code exchanges/s, refreshes/s and userinfo p50/p99, against baselines.

Everything runs in one process against a throw-away test database (SQLite in memory by default),
through Django's WSGI handler (the test client), so the numbers measure our code and
django-oauth-toolkit rather than a network stack. Two baselines are measured in the same run:

- `asgi`: a bare ASGI hello-world app driven in-process (the floor of any Python web request);
- `django`: a bare Django view (`/bench/hello`, added to the site's URLs for the run) through the
  same test client and middleware stack as the measured calls.

Each result comes with its ratio to both: for rates, measured / baseline (the fraction of the
baseline's speed); for latencies, measured / baseline latency (how many times slower).

Options: `n` (operations per measurement, default 200), `warmup` (default 10).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import secrets
import statistics
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from bench.harness import record_samples


def _django() -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    django.setup()


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"hello"})


def _asgi_baseline(n: int) -> float:
    """Requests/s of a bare ASGI app, called the way a server calls it (minus the socket)."""
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    async def drive() -> float:
        started = time.perf_counter()
        for _ in range(n):
            await _hello(scope, receive, send)
        return time.perf_counter() - started

    return n / asyncio.run(drive())


def _hello_view(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse(b"hello", content_type="text/plain")


def __getattr__(name: str) -> Any:
    """`urlpatterns` for the run: the site's routes plus the bare baseline view (built lazily,
    so importing this module does not need Django configured)."""
    if name == "urlpatterns":
        from django.urls import path

        from sangsaeng.urls import urlpatterns

        return [path("bench/hello", _hello_view), *urlpatterns]
    raise AttributeError(name)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _measure(n: int, warmup: int) -> dict[str, Any]:
    from django.test import Client

    from sangsaeng.accounts.services import address_create, user_create
    from sangsaeng.sync import services

    owner = user_create(email="bench-owner@example.com", password=secrets.token_urlsafe(16), verified=True)
    user = user_create(email="bench-user@example.com", password=secrets.token_urlsafe(16), verified=True)
    address_create(
        user=user,
        data={
            "name": "집",
            "base_address": "서울특별시 중구 세종대로 110",
            "zone_number": "04524",
            "receiver_name": "벤치",
            "receiver_phone_number1": "010-1234-5678",
        },
        is_default=True,
    )
    redirect = "https://bench.example/cb"
    partner, secret = services.partner_create(
        owner=owner, name="bench", redirect_uris=[redirect], consent_items={"email": "required"}
    )
    client_id = partner.application.client_id
    services.consent_record(
        user=user,
        partner=partner,
        scopes={"openid", "email"},
        granted={"email"},
        agreed_tags=set(),
        follow_channel=False,
    )
    browser = Client()
    browser.force_login(user)
    api = Client()

    def new_code() -> tuple[str, str]:
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        query = urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect,
                "scope": "openid email",
                "state": "s",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        response = browser.get("/oauth/authorize/?" + query)
        return parse_qs(urlparse(response["Location"]).query)["code"][0], verifier

    def exchange(code: str, verifier: str) -> dict[str, Any]:
        response = api.post(
            "/oauth/token/",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect,
                "client_id": client_id,
                "client_secret": secret,
                "code_verifier": verifier,
            },
        )
        assert response.status_code == 200, response.content
        return response.json()

    # baseline: a bare Django view through the same client and middleware
    for _ in range(warmup):
        api.get("/bench/hello")
    bare_ms = []
    started = time.perf_counter()
    for _ in range(n):
        one = time.perf_counter()
        api.get("/bench/hello")
        bare_ms.append((time.perf_counter() - one) * 1000)
    django_rps = n / (time.perf_counter() - started)
    record_samples("bare_django_view", bare_ms, baseline=True)

    codes = [new_code() for _ in range(n + warmup)]
    for code, verifier in codes[:warmup]:
        exchange(code, verifier)
    exchange_ms, tokens = [], []
    started = time.perf_counter()
    for code, verifier in codes[warmup:]:
        one = time.perf_counter()
        tokens.append(exchange(code, verifier))
        exchange_ms.append((time.perf_counter() - one) * 1000)
    exchanges_per_s = n / (time.perf_counter() - started)
    record_samples("code_exchange", exchange_ms)

    refresh = tokens[-1]["refresh_token"]
    refresh_ms = []
    started = time.perf_counter()
    for _ in range(n):
        one = time.perf_counter()
        response = api.post(
            "/oauth/token/",
            {"grant_type": "refresh_token", "refresh_token": refresh, "client_id": client_id, "client_secret": secret},
        )
        assert response.status_code == 200, response.content
        refresh = response.json()["refresh_token"]
        access = response.json()["access_token"]
        refresh_ms.append((time.perf_counter() - one) * 1000)
    refreshes_per_s = n / (time.perf_counter() - started)
    record_samples("refresh", refresh_ms)

    headers = {"Authorization": f"Bearer {access}"}
    for _ in range(warmup):
        api.get("/oauth/userinfo/", headers=headers)
    latencies = []
    for _ in range(n):
        started = time.perf_counter()
        response = api.get("/oauth/userinfo/", headers=headers)
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    record_samples("userinfo", latencies)
    return {
        "django_rps": django_rps,
        "exchanges_per_s": exchanges_per_s,
        "refreshes_per_s": refreshes_per_s,
        "userinfo_p50_ms": statistics.median(latencies),
        "userinfo_p99_ms": _percentile(latencies, 0.99),
    }


def run(options: dict[str, Any]) -> dict[str, Any]:
    """Measure and return the numbers with their ratios to the same run's baselines."""
    n = int(options.get("n", 200))
    warmup = int(options.get("warmup", 10))
    _django()
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

    asgi_rps = _asgi_baseline(max(n * 50, 10_000))
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with override_settings(SYNC_TOKEN_RATE_LIMIT=10**9, DEBUG=False, ROOT_URLCONF=__name__):
            measured = _measure(n, warmup)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    django_rps = measured["django_rps"]
    result: dict[str, Any] = {
        "n": n,
        "baseline_asgi_rps": round(asgi_rps, 1),
        "baseline_django_view_rps": round(django_rps, 1),
    }
    for key in ("exchanges_per_s", "refreshes_per_s"):
        value = measured[key]
        result[key] = round(value, 1)
        result[f"{key}_vs_asgi"] = round(value / asgi_rps, 5)
        result[f"{key}_vs_django_view"] = round(value / django_rps, 4)
    for key in ("userinfo_p50_ms", "userinfo_p99_ms"):
        value = measured[key]
        result[key] = round(value, 3)
        result[f"{key}_x_asgi"] = round(value / (1000 / asgi_rps), 1)
        result[f"{key}_x_django_view"] = round(value / (1000 / django_rps), 2)
    return result


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run({"n": int(sys.argv[1]) if len(sys.argv) > 1 else 200}), indent=2))
