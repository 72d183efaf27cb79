"""sangsaeng payments audit | settle [--date YYYY-MM-DD] | import-statement FILE | payouts-csv [--date D]"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.core.errors import Problem
from sangsaeng.payments import services
from sangsaeng.payments.settlements import seoul_today


class _System:
    """The operator at the console: the command runs with operator rights."""

    is_authenticated = True
    is_staff = True
    pk = None


class Command(BaseCommand):
    help = "Pay operations: ledger audit, daily settlement, bank statement import, payout CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("audit", help="Check every account against its lines; exit 1 when anything is off.")
        settle = sub.add_parser("settle", help="Make the statements (and payouts) of one Seoul day; default yesterday.")
        settle.add_argument("--date", type=date.fromisoformat)
        imp = sub.add_parser("import-statement", help="Import a bank statement CSV (all rows or none).")
        imp.add_argument("file", type=Path)
        payouts = sub.add_parser("payouts-csv", help="Print bank transfer instructions for unexported payouts.")
        payouts.add_argument("--date", type=date.fromisoformat)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "audit":
                audit = services.ledger_audit()
                self.stdout.write(json.dumps(audit, ensure_ascii=False))
                if not audit["ok"]:
                    sys.exit(1)
            elif action == "settle":
                day = options["date"] or seoul_today() - timedelta(days=1)
                for s in services.settle_day(day=day):
                    self.stdout.write(
                        f"{s.day} {s.payee_ref} gross={s.gross} refunds={s.refunds} pg_fees={s.pg_fees} "
                        f"platform_fee={s.platform_fee} net={s.net} payout={s.payout_amount}"
                    )
            elif action == "import-statement":
                result = services.bank_statement_import(actor=_System(), data=options["file"].read_bytes())
                self.stdout.write(
                    f"imported={result.imported} matched={result.matched} unmatched={result.unmatched} "
                    f"duplicates={result.duplicates} amount={result.total_amount}"
                )
            elif action == "payouts-csv":
                self.stdout.write(services.payout_export_csv(actor=_System(), day=options["date"]), ending="")
        except Problem as problem:
            for error in problem.extra.get("errors", []):
                self.stderr.write(f"line {error['line']}: {error['field']}: {error['message']}")
            raise CommandError(f"{problem.code}: {problem.en}") from problem
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
