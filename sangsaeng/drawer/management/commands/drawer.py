"""sangsaeng drawer app-password --email E --label L: print a new WebDAV app password.
sangsaeng drawer quota --email E (--bytes N | --default): set a user's storage limit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core.errors import Problem
from sangsaeng.drawer.app_passwords import app_password_create
from sangsaeng.drawer.services import quota_limit, quota_set


class Command(BaseCommand):
    help = "Drawer operator commands."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("app-password", help="Create a WebDAV app password and print it once.")
        create.add_argument("--email", required=True)
        create.add_argument("--label", required=True)
        quota = sub.add_parser("quota", help="Set a user's own storage limit.")
        quota.add_argument("--email", required=True)
        limit = quota.add_mutually_exclusive_group(required=True)
        limit.add_argument("--bytes", type=int)
        limit.add_argument("--default", action="store_true", help="Back to DRAWER_QUOTA_BYTES.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_get_by_email(email=options["email"])
        if user is None:
            raise CommandError(f"no user with email {options['email']!r}")
        if options["action"] == "quota":
            try:
                quota_set(owner=user, limit_bytes=None if options["default"] else options["bytes"])
            except Problem as problem:
                raise CommandError(problem.en) from problem
            self.stdout.write(f"{user.email}: {quota_limit(owner=user)} bytes")
        elif options["action"] == "app-password":
            try:
                _row, secret = app_password_create(owner=user, label=options["label"])
            except Problem as problem:
                raise CommandError(problem.en) from problem
            self.stdout.write(secret)
