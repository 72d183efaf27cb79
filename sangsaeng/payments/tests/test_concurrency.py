"""N threads spend one wallet at once: it never goes negative, and exactly floor(balance/amount)
payments succeed. Each thread has its own database connection, as web workers do."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from django.db import close_old_connections, connection

from sangsaeng.core.errors import Problem
from sangsaeng.payments import services
from sangsaeng.payments.ledger import ledger_audit
from sangsaeng.payments.models import Payment

from .conftest import SHOP

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12
AMOUNT = 7_000
BALANCE = 50_000  # floor(50,000 / 7,000) = 7 succeed, 5 are refused


@pytest.fixture
def alice(alice, tmp_path):
    """On SQLite, race on a real WAL file as production does: the test runner's shared in-memory
    database answers a second writer "table is locked" at once instead of waiting on busy_timeout.
    The test database (with alice in it) is copied to a file for the test and put back after."""
    if connection.vendor != "sqlite":
        yield alice
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield alice
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def _race(fn, n: int) -> list[object]:
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # collected and asserted on below
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_wallet_payments_never_overdraw(alice):
    # given
    services.wallet_topup_test(user=alice, amount=BALANCE, idempotency_key="fund")
    # when
    results = _race(
        lambda i: services.payment_create(
            payer=alice,
            payee_ref=SHOP,
            amount=AMOUNT,
            method="wallet",
            purpose="동시 결제",
            order_ref=f"o{i}",
            idempotency_key=f"pay-{i}",
        ),
        THREADS,
    )
    # then
    ok = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, Problem)]
    assert [type(r) for r in results if not isinstance(r, Payment | Problem)] == []
    assert len(ok) == BALANCE // AMOUNT
    assert {p.code for p in refused} == {"insufficient_funds"} and len(refused) == THREADS - BALANCE // AMOUNT
    assert services.wallet_balance(user=alice) == BALANCE - AMOUNT * (BALANCE // AMOUNT)
    assert Payment.objects.filter(payer=alice).count() == len(ok)
    assert ledger_audit()["ok"]


def test_concurrent_holds_and_payments_share_one_balance(alice):
    services.wallet_topup_test(user=alice, amount=BALANCE, idempotency_key="fund")

    def spend(i: int) -> object:
        if i % 2:
            return services.hold_place(user=alice, amount=AMOUNT, ref=f"bid-{i}", idempotency_key=f"h{i}")
        return services.payment_create(
            payer=alice,
            payee_ref=SHOP,
            amount=AMOUNT,
            method="wallet",
            purpose="결제",
            order_ref="",
            idempotency_key=f"p{i}",
        )

    results = _race(spend, THREADS)
    assert sum(1 for r in results if not isinstance(r, Exception)) == BALANCE // AMOUNT
    assert all(isinstance(r, Problem) and r.code == "insufficient_funds" for r in results if isinstance(r, Exception))
    assert services.wallet_balance(user=alice) == BALANCE % AMOUNT
    assert ledger_audit()["ok"]


def test_the_same_key_sent_concurrently_pays_once(alice):
    services.wallet_topup_test(user=alice, amount=BALANCE, idempotency_key="fund")
    results = _race(
        lambda i: services.payment_create(
            payer=alice,
            payee_ref=SHOP,
            amount=AMOUNT,
            method="wallet",
            purpose="더블 클릭",
            order_ref="o",
            idempotency_key="same",
        ),
        6,
    )
    assert all(isinstance(r, Payment) for r in results), results
    assert len({r.pk for r in results if isinstance(r, Payment)}) == 1
    assert services.wallet_balance(user=alice) == BALANCE - AMOUNT
    assert ledger_audit()["ok"]
