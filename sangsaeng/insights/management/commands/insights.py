"""sangsaeng insights compact | status: fold the event log into Parquet, with a progress bar."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def _bar(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} partner-days")
    sys.stderr.flush()


class Command(BaseCommand):
    help = "Partner data: compact events into daily Parquet files, or show the compaction state."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["compact", "status"])

    def handle(self, *args: Any, **options: Any) -> None:
        from sangsaeng.insights import compaction

        if options["action"] == "status":
            state = compaction.compaction_state()
            state["compacted_at"] = state["compacted_at"].isoformat() if state["compacted_at"] else None
            self.stdout.write(json.dumps(state))
            return
        result = compaction.compact(progress=_bar)
        sys.stderr.write("\n")
        self.stdout.write(json.dumps(result))
