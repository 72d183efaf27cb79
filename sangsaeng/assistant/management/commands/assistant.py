"""sangsaeng assistant plan "UTTERANCE" [--now ISO]: the tool calls the parser plans, as JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "AI assistant operator commands: plan."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        plan = sub.add_parser("plan", help="Print the tool calls planned for a Korean utterance.")
        plan.add_argument("utterance")
        plan.add_argument("--now", default="", help="ISO date-time relative dates resolve against (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        from sangsaeng.assistant.intents import plan_json

        now = timezone.localtime()
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now is not an ISO date-time: {options['now']}") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        calls = plan_json(options["utterance"], now=now)
        self.stdout.write(json.dumps({"now": now.isoformat(), "calls": calls}, ensure_ascii=False))
