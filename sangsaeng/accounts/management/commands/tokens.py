"""sangsaeng tokens create --email E [--label L]: prints a new personal access token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.accounts.services import token_create


class Command(BaseCommand):
    help = "Manage personal access tokens non-interactively."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it.")
        create.add_argument("--email", required=True)
        create.add_argument("--label", default="cli")
        create.add_argument("--expires-in-days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_get_by_email(email=options["email"])
        if user is None or not user.is_active:
            raise CommandError(f"no active user with email {options['email']}")
        _token, secret = token_create(user=user, label=options["label"], expires_in_days=options["expires_in_days"])
        self.stdout.write(secret)
