"""sangsaeng chain: deploy the contracts, rebuild or verify their artifacts, run the outbox worker."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.core.errors import Problem


class Command(BaseCommand):
    help = "Chain operations: deploy | build [--check] | work [--once] | status"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("deploy", help="Deploy missing contracts (idempotent) and print the registry.")
        build = sub.add_parser("build", help="Compile the Vyper contracts into contracts/build/.")
        build.add_argument("--check", action="store_true", help="Fail when the committed artifacts differ.")
        work = sub.add_parser("work", help="Run the outbox worker and the Transfer indexer.")
        work.add_argument("--once", action="store_true")
        work.add_argument("--interval", type=float, default=0.5)
        work.add_argument("--limit", type=int, default=100, help="Transactions sent per pass.")
        sub.add_parser("status", help="Print the connected chain and the outbox counts.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except Problem as exc:
            raise CommandError(exc.en) from exc

    def _deploy(self, options: dict[str, Any]) -> None:
        from sangsaeng.chain.deploy import contracts_deploy

        self.stdout.write(json.dumps(contracts_deploy(), indent=1))

    def _build(self, options: dict[str, Any]) -> None:
        from sangsaeng.chain.build import contracts_build

        differing = contracts_build(check=options["check"])
        if differing:
            raise CommandError(f"artifacts differ from a fresh build: {', '.join(differing)}")
        self.stdout.write("contract artifacts match their sources" if options["check"] else "contracts built")

    def _work(self, options: dict[str, Any]) -> None:
        from sangsaeng.chain.worker import chain_sweep

        while True:
            result = chain_sweep(limit=options["limit"])
            if options["once"]:
                self.stdout.write(json.dumps(result))
                return
            time.sleep(options["interval"])

    def _status(self, options: dict[str, Any]) -> None:
        from sangsaeng.chain.selectors import chain_status

        self.stdout.write(json.dumps(chain_status(), indent=1, default=str))
