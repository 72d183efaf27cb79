"""200 buyers at once on a variant with 50 in stock: exactly 50 paid orders, never below zero, and
after cancellations and refunds every ledger account holds what it should (the ledger sums to zero).

Each buyer runs in its own thread with its own database connection, so the conditional UPDATE is
what keeps the count right (on SQLite the writes serialise; on PostgreSQL they race for real).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from sangsaeng.accounts.services import address_create, user_create
from sangsaeng.commerce import services
from sangsaeng.commerce.models import Order, Variant
from sangsaeng.commerce.tests.conftest import ADDRESS, FUNDS, audit, balance, fund
from sangsaeng.core.errors import Problem

BUYERS = 200
STOCK = 50
PRICE = 9_900


@pytest.mark.django_db(transaction=True)
def test_two_hundred_buyers_fifty_units(alice, channel):
    from sangsaeng.payments import selectors as payments

    if connection.vendor == "sqlite":
        pytest.skip(
            "the SQLite test database is in-memory with a shared cache, whose table locks fail at once instead of "
            "waiting; SQLite is covered by test_a_rush_through_the_live_api on a file database"
        )

    # given
    store = services.store_open(actor=alice, channel_id=channel.public_id)
    product = services.product_create(
        actor=alice,
        store_id=store.public_id,
        data={
            "title": "한정 수량 텀블러",
            "status": "public",
            "variants": [{"sku": "TUMBLER", "price": PRICE, "stock": STOCK}],
        },
    )
    variant = product.variants.get()
    buyers = []
    for i in range(BUYERS):
        user = user_create(email=f"buyer{i}@example.com", password="correct-horse-battery-staple", validate=False)
        address_create(user=user, data=ADDRESS, is_default=True)
        fund(user, key=f"fund-{i}")
        buyers.append(user)

    def attempt(user):
        try:
            return services.checkout(
                buyer=user,
                store=store,
                idempotency_key="rush",
                lines=[{"variant_id": str(variant.public_id), "quantity": 1}],
            ).status
        except Problem as problem:
            return problem.code
        finally:
            connection.close()

    # when
    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(attempt, buyers))

    # then
    assert results.count("paid") == STOCK, sorted(set(results))
    assert set(results) <= {"paid", "out_of_stock", "cart_stale"}
    assert Variant.objects.get(pk=variant.pk).stock == 0
    assert Order.objects.filter(status=Order.Status.PAID).count() == STOCK

    # and after cancellations and partial refunds the ledger still balances to the won
    paid = list(Order.objects.filter(status=Order.Status.PAID).select_related("buyer"))
    for order in paid[:10]:
        services.order_cancel(actor=order.buyer, order_id=order.public_id)
    for order in paid[10:15]:
        services.order_refund_partial(
            actor=alice, order_id=order.public_id, amount=1_000, reason="지연 보상", key="late"
        )
    refunded = {o.buyer_id: PRICE for o in paid[:10]} | {o.buyer_id: 1_000 for o in paid[10:15]}
    spent = {o.buyer_id: PRICE for o in paid}
    for user in buyers:
        assert balance(user) == FUNDS - spent.get(user.pk, 0) + refunded.get(user.pk, 0)
    assert payments.payable_balance(payee_ref=f"channel:{channel.public_id}") == STOCK * PRICE - sum(refunded.values())
    assert Variant.objects.get(pk=variant.pk).stock == 10
    report = audit()
    assert report["ok"] is True, report
    assert report["lines_total"] == 0 and report["balances_total"] == 0


def _database_for_the_rush() -> tuple[dict[str, str], Callable[[], None] | None]:
    """A fresh database of the same kind as the test database, for a server in another process."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return {}, None
    import secrets

    import psycopg

    name = f"commerce_rush_{secrets.token_hex(4)}"
    dsn: dict[str, Any] = dict(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"]
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgresql://{db['USER']}{password}@{dsn['host']}:{dsn['port']}/{name}"
    return {"DATABASE_URL": url}, drop


def test_a_rush_through_the_live_api(tmp_path):
    """The operator's `sangsaeng bench checkout` scenario, run as the operator runs it: 200 buyers with
    real accounts and funded wallets hit the HTTP API of a live server (granian) at once."""
    import json
    import os
    import subprocess
    import sys

    env_db, drop = _database_for_the_rush()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_CURRENT_TEST")}
    env.update({"SANGSAENG_VAR_DIR": str(tmp_path), "SANGSAENG_PROFILE": "development", **env_db})
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sangsaeng.cli",
                "bench",
                "checkout",
                "--buyers",
                str(BUYERS),
                "--stock",
                str(STOCK),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        if drop is not None:
            drop()
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["paid_orders"] == STOCK
    assert result["oversold"] == 0 and result["stock_left"] == 0
    assert result["ledger_imbalance_krw"] == 0 and result["ledger_ok"] is True
    assert result["server_errors"] == 0
    assert result["http_statuses"] == {"201": STOCK, "409": BUYERS - STOCK}
