"""sangsaeng drawer app-password --email E --label L: print a new WebDAV app password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core.errors import Problem
from sangsaeng.drawer.app_passwords import app_password_create


class Command(BaseCommand):
    help = "Drawer operator commands."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("app-password", help="Create a WebDAV app password and print it once.")
        create.add_argument("--email", required=True)
        create.add_argument("--label", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "app-password":
            user = user_get_by_email(email=options["email"])
            if user is None:
                raise CommandError(f"no user with email {options['email']!r}")
            try:
                _row, secret = app_password_create(owner=user, label=options["label"])
            except Problem as problem:
                raise CommandError(problem.en) from problem
            self.stdout.write(secret)
