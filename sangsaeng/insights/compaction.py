"""Compaction: the append-only event log becomes one Parquet file per partner and KST day.

Layout: INSIGHTS_PARQUET_DIR/partner=<ref>/day=YYYY-MM-DD/events.parquet (Hive partitions, so
DuckDB prunes by day and a partner's queries read only that partner's folder). A day touched by new
events is rewritten whole from the log, so compaction is idempotent and a crash mid-run leaves at
worst a day to rewrite next time: files are written to a temporary name and renamed into place.
DuckDB writes Parquet itself (no extension is loaded).
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

from sangsaeng.insights import remote
from sangsaeng.insights.models import CompactionMark, Event
from sangsaeng.insights.services import KST, kst_day_bounds

COLUMNS: list[tuple[str, str]] = [
    ("id", "BIGINT"),
    ("partner_ref", "VARCHAR"),
    ("name", "VARCHAR"),
    ("occurred_at", "TIMESTAMP"),
    ("session_id", "VARCHAR"),
    ("subject", "VARCHAR"),
    ("order_ref", "VARCHAR"),
    ("product_ref", "VARCHAR"),
    ("broadcast_ref", "VARCHAR"),
    ("label", "VARCHAR"),
    ("path", "VARCHAR"),
    ("quantity", "INTEGER"),
    ("gross", "BIGINT"),
    ("discount", "BIGINT"),
    ("shipping", "BIGINT"),
    ("refund", "BIGINT"),
    ("source", "VARCHAR"),
]


def parquet_root() -> Path:
    root = Path(getattr(settings, "INSIGHTS_PARQUET_DIR", Path(settings.BASE_DIR) / "var" / "insights" / "parquet"))
    root.mkdir(parents=True, exist_ok=True)
    return root


def partner_dir(ref: str) -> str:
    return "partner=" + re.sub(r"[^A-Za-z0-9-]", "_", ref)


def day_file(ref: str, day: date) -> Path:
    return parquet_root() / partner_dir(ref) / f"day={day.isoformat()}" / "events.parquet"


def _utc_text(value: Any) -> str:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return str(value)[:26]


def _flat(value: Any) -> Any:
    return " ".join(str(value).split()) if value else ""


_LABEL, _PATH = (next(i for i, (c, _) in enumerate(COLUMNS) if c == name) for name in ("label", "path"))


def _csv_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """One event as CSV cells: the time as UTC text, free text on one line."""
    when = row[3]
    if not isinstance(when, str):  # PostgreSQL gives aware datetimes; SQLite already UTC text
        when = _utc_text(when)
    label, path = row[_LABEL], row[_PATH]
    if label and ("\n" in label or "\r" in label):
        label = _flat(label)
    if path and ("\n" in path or "\r" in path):
        path = _flat(path)
    return (*row[:3], when, *row[4:_LABEL], label, path, *row[_PATH + 1 :])


def _duckdb() -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2; SET autoinstall_known_extensions = false; SET autoload_known_extensions = false")
    return con


def _write_day(con: Any, ref: str, day: date, upto_id: int) -> int:
    """Rewrite one partner-day file from the log; returns the number of events in it."""
    start, end = kst_day_bounds(day, day)
    adapt = connection.ops.adapt_datetimefield_value  # raw SQL: the backend's own UTC text form
    table = Event._meta.db_table
    cols = ", ".join(connection.ops.quote_name(c) for c, _ in COLUMNS)
    target = day_file(ref, day)
    rows = 0
    with tempfile.TemporaryDirectory(prefix="insights-") as tmp:
        csv_path = Path(tmp) / "day.csv"
        with connection.cursor() as cursor, csv_path.open("w", newline="", encoding="utf-8") as out:
            cursor.execute(
                f"SELECT {cols} FROM {table} WHERE partner_ref = %s AND occurred_at >= %s "  # noqa: S608
                "AND occurred_at < %s AND id <= %s ORDER BY id",
                [ref, adapt(start), adapt(end), upto_id],
            )
            writer = csv.writer(out)
            while batch := cursor.fetchmany(10_000):
                writer.writerows(_csv_row(row) for row in batch)
                rows += len(batch)
        relative = str(target.relative_to(parquet_root()))
        if rows == 0:
            if target.exists() and remote.enabled():
                remote.remove(relative)
            target.unlink(missing_ok=True)
            return 0
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".parquet.tmp")
        types = ", ".join(f"'{c}': '{t}'" for c, t in COLUMNS)
        con.execute(
            f"COPY (SELECT * FROM read_csv(?, header=false, columns={{{types}}}, quote='\"', escape='\"')) "  # noqa: S608 (column names are constants)
            "TO ? (FORMAT parquet, COMPRESSION zstd)",
            [str(csv_path), str(partial)],
        )
        os.replace(partial, target)
        if remote.enabled():
            remote.upload(target, relative)
    return rows


def compact(*, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Fold every event logged since the last run into the Parquet files."""
    mark, _ = CompactionMark.objects.get_or_create(key="events")
    top = Event.objects.aggregate(top=Max("id"))["top"] or 0
    if top <= mark.last_event_id:
        return {"events": 0, "files": 0, "upto": top}
    spans = (
        Event.objects.filter(id__gt=mark.last_event_id, id__lte=top)
        .values("partner_ref")
        .annotate(lo=Min("occurred_at"), hi=Max("occurred_at"))
    )
    work: list[tuple[str, date]] = []
    for span in spans:
        day, last = span["lo"].astimezone(KST).date(), span["hi"].astimezone(KST).date()
        while day <= last:
            work.append((span["partner_ref"], day))
            day += timedelta(days=1)
    written = 0
    con = _duckdb()
    try:
        for i, (ref, day) in enumerate(work):
            written += _write_day(con, ref, day, top)
            if progress:
                progress(i + 1, len(work))
    finally:
        con.close()
    CompactionMark.objects.filter(pk=mark.pk).update(
        last_event_id=top, compacted_at=timezone.now(), events_total=Event.objects.filter(id__lte=top).count()
    )
    return {"events": top - mark.last_event_id, "files": len(work), "rows_written": written, "upto": top}


def compaction_state() -> dict[str, Any]:
    mark = CompactionMark.objects.filter(key="events").first()
    return {
        "last_event_id": mark.last_event_id if mark else 0,
        "compacted_at": mark.compacted_at if mark else None,
        "pending": Event.objects.filter(id__gt=mark.last_event_id if mark else 0).count(),
    }


def partner_files(ref: str) -> list[Path]:
    if remote.enabled():  # another machine may have compacted: mirror the partner's folder first
        remote.mirror(parquet_root(), partner_dir(ref))
    folder = parquet_root() / partner_dir(ref)
    return sorted(folder.glob("day=*/events.parquet")) if folder.is_dir() else []


def temp_export_path(suffix: str) -> Path:
    handle, name = tempfile.mkstemp(prefix="insights-export-", suffix=suffix)
    os.close(handle)
    return Path(name)
