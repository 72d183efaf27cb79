"""sangsaeng demo [--if-empty]: create believable Korean demo content for every app."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sangsaeng.core.demo import builders


class Command(BaseCommand):
    help = "Create demo users and content (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Only when no user exists yet (first run).")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.auth import get_user_model

        if options["if_empty"] and get_user_model().objects.exists():
            self.stdout.write("demo: data already present, skipped")
            return
        steps = builders()
        for i, builder in enumerate(steps, 1):
            self.stdout.write(f"[{i}/{len(steps)}] {builder.name}")
            builder.build(lambda line: self.stdout.write(f"      {line}"))
        self.stdout.write(self.style.SUCCESS("demo: ready"))
