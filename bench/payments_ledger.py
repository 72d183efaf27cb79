"""`sangsaeng bench ledger`: journal entries per second through `payment_create` (wallet) against a
raw balanced two-row insert, in the same database in the same run.

The database is the configured one (SQLite by default, PostgreSQL with DATABASE_URL), in a
throw-away test database of the same engine: on SQLite a real WAL file in a temp directory (not
memory), so both sides pay the same commit cost.

- `payment_wallet`: `payments.services.payment_create(method="wallet")`: the idempotency look-up, the
  Payment row, the entry with its unique key, a guarded conditional UPDATE of the wallet balance and
  F() updates of clearing and payable, four lines, one transaction per payment;
- `raw_entry`: one transaction that inserts an entry row and two lines summing to zero with plain SQL
  (no balances, no checks): the floor of any balanced write on this database.

Options: `entries` (entries per side, default 2000), `warmup` (default 50).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from typing import Any

from bench.harness import record_samples

NAME = "ledger"


def _django() -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    django.setup()


def _raw_entry(cursor: Any, account_a: int, account_b: int, i: int) -> None:
    cursor.execute(
        "INSERT INTO payments_journalentry (public_id, key, fingerprint, kind, memo, created_at) "
        "VALUES (%s, %s, %s, %s, %s, CURRENT_TIMESTAMP) RETURNING id",
        [uuid.uuid4().hex, f"raw:{i}", "0" * 64, "raw", ""],
    )
    entry_id = cursor.fetchone()[0]
    cursor.executemany(
        "INSERT INTO payments_journalline (entry_id, account_id, amount) VALUES (%s, %s, %s)",
        [(entry_id, account_a, -100), (entry_id, account_b, 100)],
    )


def _measure(n: int, warmup: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from sangsaeng.accounts.services import user_create
    from sangsaeng.payments import services
    from sangsaeng.payments.ledger import system_account
    from sangsaeng.payments.models import Account

    payer = user_create(email="bench-payer@example.com", password="x" * 20, display_name="벤치", verified=True)
    payee = f"channel:{uuid.uuid4()}"
    total = (n + warmup) * 100
    services.wallet_topup_test(user=payer, amount=total, idempotency_key="bench-fund")

    def pay(i: int) -> None:
        services.payment_create(
            payer=payer,
            payee_ref=payee,
            amount=100,
            method="wallet",
            purpose="bench",
            order_ref="",
            idempotency_key=f"bench-{i}",
        )

    a, b = system_account(Account.Kind.TEST), system_account(Account.Kind.BANK)

    def raw(i: int) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            _raw_entry(cursor, a.pk, b.pk, i)

    for i in range(warmup):
        pay(-1 - i)
        raw(-1 - i)
    # Interleaved rounds, so a noisy neighbour slows both sides alike.
    spent = {"raw_entry": 0.0, "payment_wallet": 0.0}
    each: dict[str, list[float]] = {"raw_entry": [], "payment_wallet": []}  # ms per entry, for the plots
    rounds = 10
    for r in range(rounds):
        for name, fn in (("raw_entry", raw), ("payment_wallet", pay)):
            started = time.perf_counter()
            for i in range(r * n // rounds, (r + 1) * n // rounds):
                one = time.perf_counter()
                fn(i)
                each[name].append((time.perf_counter() - one) * 1000)
            spent[name] += time.perf_counter() - started
    record_samples("payment_wallet", each["payment_wallet"])
    record_samples("raw_entry", each["raw_entry"], baseline=True)
    rates = {name: n / seconds for name, seconds in spent.items()}
    audit_raw_ok = services.wallet_balance(user=payer) == 0
    return {"rates": rates, "wallet_drained_exactly": audit_raw_ok, "vendor": connection.vendor}


def run(options: dict[str, Any]) -> dict[str, Any]:
    n = int(options.get("entries", 2000))
    warmup = int(options.get("warmup", 50))
    _django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    with tempfile.TemporaryDirectory(prefix="ssg-ledger-") as tmp:
        test_settings = connection.settings_dict.setdefault("TEST", {})
        saved = dict(test_settings)
        if connection.vendor == "sqlite":
            test_settings["NAME"] = os.path.join(tmp, "ledger.sqlite3")
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            measured = _measure(n, warmup)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
            connection.settings_dict["TEST"] = saved
    rates = measured["rates"]
    return {
        "db": measured["vendor"],
        "n": n,
        "payment_entries_per_s": round(rates["payment_wallet"], 1),
        "raw_entries_per_s": round(rates["raw_entry"], 1),
        "payment_vs_raw": round(rates["payment_wallet"] / rates["raw_entry"], 3),
        "wallet_drained_exactly": measured["wallet_drained_exactly"],
    }
