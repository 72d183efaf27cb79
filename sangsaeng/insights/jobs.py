"""Periodic work: compact new events into Parquet; send the weekly partner reports."""

from __future__ import annotations

import time

from django.conf import settings

from sangsaeng.insights import compaction, exports

_last_compaction = 0.0


def compact_job() -> dict[str, object]:
    """At most once per INSIGHTS_COMPACT_EVERY seconds (default 300) per worker process."""
    global _last_compaction
    every = int(getattr(settings, "INSIGHTS_COMPACT_EVERY", 300))
    if time.monotonic() - _last_compaction < every and _last_compaction:
        return {"skipped": True}
    _last_compaction = time.monotonic()
    return compaction.compact()


def weekly_reports_job() -> int:
    return exports.weekly_reports_send()
