"""`sangsaeng sync apps create …` registers a partner app; `sangsaeng sync keys rotate` rotates
the ID-token signing key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.accounts import selectors as accounts
from sangsaeng.core.errors import Problem
from sangsaeng.sync import services
from sangsaeng.sync.oidc import keys


class Command(BaseCommand):
    help = "Sync partner apps and signing keys."

    def add_arguments(self, parser: CommandParser) -> None:
        groups = parser.add_subparsers(dest="group", required=True)
        apps = groups.add_parser("apps").add_subparsers(dest="action", required=True)
        create = apps.add_parser("create", help="register a partner app")
        create.add_argument("--owner-email", required=True)
        create.add_argument("--name", required=True)
        create.add_argument("--redirect-uri", required=True, action="append", dest="redirect_uris")
        create.add_argument("--public", action="store_true", help="a public client (PKCE, no secret)")
        create.add_argument("--scopes", default="openid profile email phone shipping_address")
        key_actions = groups.add_parser("keys").add_subparsers(dest="action", required=True)
        key_actions.add_parser("rotate", help="make a new ID-token signing key and retire the old one")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["group"] == "keys":
            key = keys.signing_key_rotate()
            self.stdout.write(f"kid: {key.kid}")
            return
        owner = accounts.user_get_by_email(email=options["owner_email"])
        if owner is None:
            raise CommandError(f"no user with email {options['owner_email']}")
        scopes = options["scopes"].split()
        if "openid" not in scopes:
            raise CommandError("--scopes must include openid")
        try:
            partner, secret = services.partner_create(
                owner=owner,
                name=options["name"],
                redirect_uris=options["redirect_uris"],
                public=options["public"],
                consent_items=services.items_for_scopes(scopes),
            )
        except Problem as problem:
            raise CommandError(f"{problem.field}: {problem.en}") from problem
        self.stdout.write(f"client_id: {partner.application.client_id}")
        if secret:
            self.stdout.write(f"client_secret: {secret}")
            self.stdout.write("(the secret is shown once; only its hash is stored)")
