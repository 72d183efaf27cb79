"""sangsaeng users create --email E --password P [--verified] [--staff]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.accounts.services import user_create
from sangsaeng.core.errors import Problem


class Command(BaseCommand):
    help = "Manage users non-interactively."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a user.")
        create.add_argument("--email", required=True)
        create.add_argument("--password", required=True)
        create.add_argument("--name", default="")
        create.add_argument("--verified", action="store_true", help="Mark the email as verified.")
        create.add_argument("--staff", action="store_true", help="Allow the Django admin.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_create(
                email=options["email"],
                password=options["password"],
                display_name=options["name"],
                verified=options["verified"],
                staff=options["staff"],
            )
        except Problem as problem:
            raise CommandError(f"{problem.code}: {problem.en}") from problem
        if options["staff"]:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        self.stdout.write(f"{user.public_id} {user.email}")
