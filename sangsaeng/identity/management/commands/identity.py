"""sangsaeng identity approve --email E --name NAME --birthdate YYYY-MM-DD
sangsaeng identity issue --email E [--holder-jwk JSON]
sangsaeng identity revoke --credential ID [--reason TEXT]
sangsaeng identity rotate-key"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core.errors import Problem
from sangsaeng.identity import services


class Command(BaseCommand):
    help = "Record verifications done in person and issue SD-JWT VC credentials."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        approve = sub.add_parser("approve", help="Record a verification an operator did in person.")
        approve.add_argument("--email", required=True)
        approve.add_argument("--name", required=True)
        approve.add_argument("--birthdate", required=True, help="YYYY-MM-DD")
        issue = sub.add_parser("issue", help="Print an SD-JWT VC for a verified user.")
        issue.add_argument("--email", required=True)
        issue.add_argument("--holder-jwk", default="", help="The holder wallet's public JWK (JSON).")
        revoke = sub.add_parser("revoke", help="Revoke a credential through the status list.")
        revoke.add_argument("--credential", required=True)
        revoke.add_argument("--reason", default="revoked by an operator")
        sub.add_parser("rotate-key", help="Make a new issuer key; the old one stays published.")

    def _user(self, email: str) -> Any:
        user = user_get_by_email(email=email)
        if user is None:
            raise CommandError(f"no user with email {email}")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "approve":
                try:
                    birthdate = date.fromisoformat(options["birthdate"])
                except ValueError as exc:
                    raise CommandError("--birthdate must be YYYY-MM-DD") from exc
                identity = services.identity_approve_in_person(
                    user=self._user(options["email"]), legal_name=options["name"], birthdate=birthdate
                )
                self.stdout.write(f"verified {identity.user.email} {identity.legal_name} {identity.birthdate}")
            elif action == "issue":
                holder = json.loads(options["holder_jwk"]) if options["holder_jwk"] else None
                _credential, token = services.credential_issue(user=self._user(options["email"]), holder_jwk=holder)
                self.stdout.write(token)
            elif action == "revoke":
                services.credential_revoke_by_operator(credential_id=options["credential"], reason=options["reason"])
                self.stdout.write(f"revoked {options['credential']}")
            else:
                key = services.issuer_key_rotate()
                self.stdout.write(f"new issuer key {key.kid}")
        except Problem as problem:
            raise CommandError(f"{problem.code}: {problem.en}") from problem
        except json.JSONDecodeError as exc:
            raise CommandError("--holder-jwk must be a JSON object") from exc
