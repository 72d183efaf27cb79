"""`sangsaeng bench broadcast`: deliver one advertising broadcast to N followers (default 10,000).

In a fresh SQLite database (or DATABASE_URL with `--db env`), N users follow a channel with
marketing consent. Measured in the same run, on the same rows:
- `deliver`: `broadcast_deliver` as the periodic job runs it: the §50 audience rules, the
  INSERT … SELECT of not-yet-delivered followers under the unique (broadcast, user) constraint,
  the counter update and the outbox event, in one transaction;
- `raw_insert`: the baseline, a bare `executemany` INSERT of the same (broadcast, user, time) rows
  for a second broadcast, in one transaction, with no rules and no checks.
Then `rerun`: delivering the same broadcast again, which must add nothing (idempotency), timed too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import Any

NAME = "broadcast"

SCRIPT = r"""
import json, sys, time, django
django.setup()
from datetime import datetime
from zoneinfo import ZoneInfo
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from sangsaeng.partners import services
from sangsaeng.partners.models import Broadcast, Delivery, Follow

n = int(sys.argv[1])
User = get_user_model()
owner = User.objects.create(email="owner@bench.example", display_name="owner", password="!")
channel = services.channel_create(owner=owner, name="벤치마켓", handle="bench-market")
users = User.objects.bulk_create(
    [User(email=f"u{i}@bench.example", display_name=f"u{i}", password="!") for i in range(n)], batch_size=2000
)
noon = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
Follow.objects.bulk_create(
    [Follow(channel=channel, user=u, marketing_consent_at=noon) for u in users], batch_size=2000
)
later = datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
def broadcast(text):
    return services.broadcast_create(
        actor=owner, channel_id=channel.public_id, text=text, scheduled_at=later, now=noon
    )

# warm-up on a small broadcast, so both sides run with warm caches and a hot page cache
broadcast("warm")
services.broadcasts_send_due(now=later)
Delivery.objects.all().delete()

target, baseline = broadcast("감귤 특가"), broadcast("baseline")
user_ids = list(Follow.objects.filter(channel=channel).values_list("user_id", flat=True))

started = time.perf_counter()
delivered = services.broadcast_deliver(broadcast_id=target.pk, now=later)
deliver_s = time.perf_counter() - started
assert delivered == n, (delivered, n)

Broadcast.objects.filter(pk=target.pk).update(status="waiting", next_run_at=later)
started = time.perf_counter()
again = services.broadcast_deliver(broadcast_id=target.pk, now=later)
rerun_s = time.perf_counter() - started
assert again == 0 and Delivery.objects.filter(broadcast=target).count() == n

table = connection.ops.quote_name(Delivery._meta.db_table)
stamp = connection.ops.adapt_datetimefield_value(later)
rows = [(baseline.pk, uid, stamp) for uid in user_ids]
started = time.perf_counter()
with transaction.atomic(), connection.cursor() as cursor:
    cursor.executemany(f"INSERT INTO {table} (broadcast_id, user_id, delivered_at) VALUES (%s, %s, %s)", rows)
raw_s = time.perf_counter() - started
assert Delivery.objects.filter(broadcast=baseline).count() == n

result = {"deliver_s": deliver_s, "rerun_s": rerun_s, "raw_s": raw_s, "again": again, "vendor": connection.vendor}
print(json.dumps(result))
"""


def run(options: dict[str, Any]) -> dict[str, Any]:
    followers = int(options.get("followers", options.get("n", 10_000)))
    with tempfile.TemporaryDirectory(prefix="ssg-bench-") as var:
        env = {**os.environ, "SANGSAENG_VAR_DIR": var, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "sangsaeng.settings"}
        keep_db = str(options.get("db", "")) == "env"
        for name in ("STORAGE_URL", "REDIS_URL", *(() if keep_db else ("DATABASE_URL",))):
            env.pop(name, None)
        subprocess.run([sys.executable, "-m", "sangsaeng.cli", "migrate", "--noinput", "-v", "0"], env=env, check=True)
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(followers)], env=env, check=True, capture_output=True, text=True
        ).stdout
    measured = json.loads(out.strip().splitlines()[-1])
    deliver_rate = followers / measured["deliver_s"]
    raw_rate = followers / measured["raw_s"]
    return {
        "benchmark": NAME,
        "database": measured["vendor"],
        "followers": followers,
        "deliveries_per_s": round(deliver_rate),
        "raw_insert_rows_per_s": round(raw_rate),
        "deliver_ms": round(measured["deliver_s"] * 1000, 1),
        "raw_insert_ms": round(measured["raw_s"] * 1000, 1),
        "rerun_ms": round(measured["rerun_s"] * 1000, 1),
        "rerun_new_deliveries": measured["again"],
        "deliver_vs_raw_insert": round(deliver_rate / raw_rate, 3),
    }
