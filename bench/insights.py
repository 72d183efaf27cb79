"""`sangsaeng bench insights [--events N]`: compaction and every dashboard widget over N events.

N synthetic events (default 10,000,000: page views, funnel steps, orders, lines, refunds, follows
and broadcasts for 3 partners over 120 days) go into a fresh SQLite database with the project's
schema. Compaction folds them into the daily Parquet files; then each widget runs the way a
dashboard request does (a new DuckDB connection over the partner's files, 7 times, p50).

Baselines, in the same run over the same files: the very same SQL statements in one bare DuckDB
connection over a plain `read_parquet` glob (widget ratio = ours / bare, so 1.0 means no overhead),
and DuckDB rewriting the same events into Hive-partitioned Parquet by itself (compaction ratio =
our events/s / bare events/s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

NAME = "insights"

CHILD = r"""
import json, random, statistics, sys, time
from datetime import UTC, datetime, timedelta
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)

from sangsaeng.insights import compaction, engine
from sangsaeng.insights.engine import PartnerData, Range, WIDGETS
from bench.harness import record_samples

total = int(sys.argv[1])
partners = ["bench:p1", "bench:p2", "bench:p3"]
start = datetime(2026, 7, 1, tzinfo=UTC)
days = 120
rng = random.Random(2026)
names = (["page_view"] * 50 + ["product_view"] * 25 + ["cart_add"] * 9 + ["checkout_start"] * 5 + ["order_paid"] * 3
         + ["order_line"] * 4 + ["order_refunded"] + ["follow"] * 2 + ["broadcast_delivered"] * 2
         + ["broadcast_opened", "broadcast_clicked"])
products = [(f"p{i}", f"상품 {i}") for i in range(200)]

def rows(n):
    for i in range(n):
        name = rng.choice(names)
        at = start + timedelta(seconds=rng.randrange(days * 86400))
        subject = f"s_{rng.randrange(50000):06d}" if name not in ("page_view", "product_view") else ""
        pid, title = rng.choice(products) if name in ("product_view", "cart_add", "order_line") else ("", "")
        gross = rng.randrange(5, 300) * 100 if name in ("order_paid", "order_line") else 0
        yield (rng.choice(partners), name, at.strftime("%Y-%m-%d %H:%M:%S.%f"), f"k_{rng.randrange(n // 8 + 1):09d}",
               subject, f"o{i}" if name in ("order_paid", "order_line", "order_refunded") else "", pid,
               f"b{rng.randrange(30)}" if name.startswith("broadcast") else "", title, "", 1 if gross else 0,
               gross, 0, 3000 if name == "order_paid" else 0, 1000 if name == "order_refunded" else 0, "server")

t0 = time.perf_counter()
connection.ensure_connection()
raw = connection.connection  # the DB-API connection: Django's wrapper rewrites every row's placeholders
raw.executemany(
    "INSERT INTO insights_event (partner_ref, name, occurred_at, session_id, subject, order_ref, product_ref, "
    "broadcast_ref, label, path, quantity, gross, discount, shipping, refund, source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    rows(total),
)
raw.commit()
generate_s = time.perf_counter() - t0

def bar(done, all_):
    w = 30; f = int(w * done / all_)
    if done % 20 and done != all_:
        return
    sys.stderr.write(f"\r[{'#' * f}{'.' * (w - f)}] {done}/{all_} partner-days"); sys.stderr.flush()

t0 = time.perf_counter()
result = compaction.compact(progress=bar)
compact_s = time.perf_counter() - t0
sys.stderr.write("\n")

import duckdb
root = compaction.parquet_root()
bare = duckdb.connect()
bare.execute("SET threads TO 2")
out_dir = str(root.parent / "bare-copy")
t0 = time.perf_counter()
bare.execute(f"COPY (SELECT *, CAST(occurred_at + INTERVAL 9 HOUR AS DATE) AS d "
             f"FROM read_parquet('{root}/*/*/*.parquet')) TO '{out_dir}' "
             "(FORMAT parquet, PARTITION_BY (partner_ref, d), COMPRESSION zstd, OVERWRITE_OR_IGNORE)")
bare_copy_s = time.perf_counter() - t0

ref = "bench:p1"
r = Range(datetime(2026, 9, 1).date(), datetime(2026, 10, 28).date())
recorded = {}
original = PartnerData.rows
def recording(self, sql, params=None):
    recorded.setdefault(current, []).append((sql, params or []))
    return original(self, sql, params)
PartnerData.rows = recording
widgets = {}
widget_ms, bare_ms = [], []  # every widget's runs pooled, for the plots
for current in WIDGETS:
    times = []
    for _ in range(7):
        recorded[current] = []
        t = time.perf_counter()
        with PartnerData(ref) as data:
            data.widget(current, r)
        times.append(time.perf_counter() - t)
    widgets[current] = statistics.median(times)
    widget_ms.extend(x * 1000 for x in times)
PartnerData.rows = original

folder = root / compaction.partner_dir(ref)
bare.execute(f"CREATE VIEW ev AS SELECT * FROM read_parquet('{folder}/*/events.parquet', hive_partitioning=true)")
baseline = {}
for name, statements in recorded.items():
    times = []
    for _ in range(7):
        t = time.perf_counter()
        for sql, params in statements:
            bare.execute(sql, params).fetchall()
        times.append(time.perf_counter() - t)
    baseline[name] = statistics.median(times)
    bare_ms.extend(x * 1000 for x in times)
record_samples("widgets_all", widget_ms)
record_samples("bare_duckdb_same_sql", bare_ms, baseline=True)

out = {
    "events": total,
    "generate_s": round(generate_s, 1),
    "compaction_events_per_s": round(total / compact_s),
    "compaction_files": result["files"],
    "bare_duckdb_rewrite_events_per_s": round(total / bare_copy_s),
    "compaction_vs_bare_duckdb": round((total / compact_s) / (total / bare_copy_s), 3),
    "range_days": r.days,
    "widget_p50_ms": {k: round(v * 1000, 1) for k, v in widgets.items()},
    "bare_p50_ms": {k: round(v * 1000, 1) for k, v in baseline.items()},
}
for k in widgets:
    out[f"{k}_x_bare"] = round(widgets[k] / baseline[k], 2) if baseline[k] else None
print(json.dumps(out))
"""


def run(options: dict[str, Any]) -> dict[str, Any]:
    total = int(options.get("events", 10_000_000))
    if not 1000 <= total <= 100_000_000:
        raise ValueError("--events must be between 1,000 and 100,000,000")
    with tempfile.TemporaryDirectory(prefix="bench-insights-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sangsaeng.settings",
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "INSIGHTS_PARQUET_DIR": str(Path(tmp) / "parquet"),
        }
        env.pop("REDIS_URL", None)
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(total)], env=env, stdout=subprocess.PIPE, text=True, check=True
        )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["name"] = NAME
    result["database"] = "sqlite"
    return result
