"""sangsaeng worker: the task backend's worker plus the periodic sweeper."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sangsaeng.core import serving
from sangsaeng.core.periodic import periodic_run


class Command(BaseCommand):
    help = "Run background tasks (database queue or Redis) and periodic work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between periodic sweeps.")
        parser.add_argument("--once", action="store_true", help="Run the periodic sweep once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self.stdout.write(str(periodic_run()))
            return
        sys.exit(serving.supervise([serving.task_runner_spec()], on_tick=periodic_run, tick_seconds=options["tick"]))
