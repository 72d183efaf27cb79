"""`sangsaeng bench timeline`: the Drawer timeline page with 50,000 items.

A user with 50,000 items (spread over three years) is seeded into a fresh SQLite file, and the
signed-in timeline is fetched sequentially under granian: the first page, and a page deep in the
past through the keyset cursor. Baselines: the bare Django view of the API benchmark on the same
server, and the first page itself (a deep page should cost the same).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from typing import Any

import httpx

from bench.harness import free_port, granian, percentile, record_samples, server

NAME = "timeline"

SEED = r"""
import sys, django
django.setup()
from datetime import UTC, datetime, timedelta
from django.conf import settings
from django.test import Client
from sangsaeng.accounts.services import user_create
from sangsaeng.drawer.models import Item
from sangsaeng.drawer.services import file_save_from

count = int(sys.argv[1])
user = user_create(email="bench@example.com", password="bench-password-2026", verified=True, validate=False)
first = file_save_from(owner=user, name="seed.txt", data=b"seed", source="bench")
start = datetime(2023, 1, 1, tzinfo=UTC)
step = timedelta(days=3 * 365) / count
rows = [
    Item(owner=user, blob=first.blob, name=f"IMG_{i:06d}.jpg", kind="image", content_type="image/jpeg", size=4,
         status="ready", sort_at=start + step * i, taken_at=start + step * i,
         place="서울 종로구" if i % 3 else "제주시")
    for i in range(1, count)
]
Item.objects.bulk_create(rows, batch_size=2000)
deep = Item.objects.filter(owner=user).order_by("-sort_at", "-id")[count * 9 // 10]
client = Client()
client.force_login(user)
print(client.cookies[settings.SESSION_COOKIE_NAME].value, deep.sort_at.isoformat(), deep.pk)
"""


def _timed(client: httpx.Client, url: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        answer = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return samples


def run(options: dict[str, Any]) -> dict[str, Any]:
    items = int(options.get("items", 50_000))
    n = int(options.get("requests", 40))
    with tempfile.TemporaryDirectory(prefix="ssg-bench-") as var:
        env = {
            **os.environ,
            "SANGSAENG_VAR_DIR": var,
            "SANGSAENG_URLCONF": "bench.urls",
            "DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "sangsaeng.settings",
        }
        for name in ("DATABASE_URL", "STORAGE_URL", "REDIS_URL"):
            env.pop(name, None)
        subprocess.run([sys.executable, "-m", "sangsaeng.cli", "migrate", "--noinput", "-v", "0"], env=env, check=True)
        seeded = subprocess.run(
            [sys.executable, "-c", SEED, str(items)], env=env, check=True, capture_output=True, text=True
        ).stdout.split()
        session, deep_before, deep_id = seeded[-3:]
        port = free_port()
        with server(
            granian("wsgi", "sangsaeng.wsgi:application", port, 1),
            env=env,
            probe=f"http://127.0.0.1:{port}/_bench/constant",
        ):
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(cookies={"sessionid": session}, timeout=30) as client:
                _timed(client, f"{base}/drawer/", 3)  # warm
                bare = _timed(client, f"{base}/_bench/constant", n)
                first = _timed(client, f"{base}/drawer/", n)
                deep_url = f"{base}/drawer/?" + str(httpx.QueryParams({"before": deep_before, "id": deep_id}))
                deep = _timed(client, deep_url, n)
                filtered = _timed(client, f"{base}/drawer/?place=제주시&kind=image", n)
                page = client.get(f"{base}/drawer/").text
                assert page.count('data-testid="tile"') == 60, "the timeline did not render a full page"
    record_samples("first_page", first, baseline=True)
    record_samples("deep_page", deep)
    record_samples("filtered", filtered)
    record_samples("bare_django", bare)
    p50 = {
        k: round(percentile(v, 50), 2)
        for k, v in {"bare_django": bare, "first_page": first, "deep_page": deep, "filtered": filtered}.items()
    }
    p99 = {
        k: round(percentile(v, 99), 2)
        for k, v in {"bare_django": bare, "first_page": first, "deep_page": deep, "filtered": filtered}.items()
    }
    return {
        "name": NAME,
        "items": items,
        "requests": n,
        "p50_ms": p50,
        "p99_ms": p99,
        "rps": {k: round(1000 / v, 1) for k, v in p50.items()},
        "ratio": {
            "deep_page_vs_first_page_p50": round(p50["deep_page"] / p50["first_page"], 3),
            "first_page_vs_bare_django_p50": round(p50["first_page"] / p50["bare_django"], 3),
        },
    }
