"""`sangsaeng bench checkout --buyers N --stock M`: a rush on one variant through the live HTTP API.

On the configured database (SQLite file or PostgreSQL), it opens a store with one variant of M units,
makes N real buyers with a default address, a funded wallet (테스트 충전) and an API token, starts the
site under granian (WSGI, a worker per core), and fires every buyer's one-tap checkout at once from a
thread pool. Then it cancels a tenth of the paid orders and partly refunds another tenth, and checks
the ledger: each buyer's wallet and the store's payable must hold exactly what the orders say.

Fields: `paid_orders` (must equal min(N, M)), `oversold` (units sold beyond M, must be 0),
`ledger_imbalance_krw` (sum of every won out of place, must be 0), `purchases_per_s` (paid orders over
the rush's wall time), `p99_ms` (checkout latency), and the baseline `raw_decrements_per_s`: the same
conditional `UPDATE stock = stock - 1 WHERE stock >= 1` alone, in this process, on the same database.
Defaults N=200, M=50.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx

from bench.harness import VENV_BIN, free_port, percentile, record_samples, wait_http

NAME = "checkout"
PRICE = 9_900
FUNDS = 100_000
ADDRESS = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "detail_address": "3층",
    "zone_number": "04524",
    "receiver_name": "벤치",
    "receiver_phone_number1": "010-1234-5678",
}


def _setup(buyers: int, stock: int, run_id: str) -> dict[str, Any]:
    """Bench buyers sign in with API tokens only; their random passwords are hashed with a fast
    hasher so that making 200 of them takes seconds, not the minutes Argon2 would."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        return _setup_users(buyers, stock, run_id)


def _setup_users(buyers: int, stock: int, run_id: str) -> dict[str, Any]:
    from sangsaeng.accounts.services import address_create, token_create, user_create
    from sangsaeng.commerce import services
    from sangsaeng.partners import services as partners
    from sangsaeng.payments import services as payments

    owner = user_create(email=f"bench-owner-{run_id}@bench.invalid", password=secrets.token_urlsafe(16), validate=False)
    channel = partners.channel_create(owner=owner, name=f"벤치 상점 {run_id}", handle=f"bench-{run_id}")
    store = services.store_open(actor=owner, channel_id=channel.public_id)
    product = services.product_create(
        actor=owner,
        store_id=store.public_id,
        data={
            "title": "한정 수량 텀블러",
            "status": "public",
            "variants": [{"sku": "RUSH", "price": PRICE, "stock": stock}],
        },
    )
    people = []
    for i in range(buyers):
        user = user_create(
            email=f"bench-{run_id}-{i}@bench.invalid", password=secrets.token_urlsafe(16), validate=False
        )
        address_create(user=user, data=ADDRESS, is_default=True)
        payments.wallet_topup_test(user=user, amount=FUNDS, idempotency_key=f"bench-{run_id}")
        _token, secret = token_create(user=user, label="bench")
        people.append((user, secret))
    return {"owner": owner, "channel": channel, "store": store, "variant": product.variants.get(), "buyers": people}


def _rush(
    base: str, handle: str, variant_id: str, buyers: list[tuple[Any, str]]
) -> tuple[list[int], list[float], float]:
    body = {"lines": [{"variant_id": variant_id, "quantity": 1}], "payment_method": "wallet"}

    def one(secret: str) -> tuple[int, float]:
        client = httpx.Client(base_url=base, timeout=60)
        started = time.perf_counter()
        response = client.post(
            f"/api/v1/commerce/storefront/{handle}/checkout",
            json=body,
            headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": secrets.token_hex(8)},
        )
        elapsed = (time.perf_counter() - started) * 1000
        client.close()
        return response.status_code, elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=min(64, len(buyers))) as pool:
        results = list(pool.map(one, [secret for _user, secret in buyers]))
    wall = time.perf_counter() - started
    return [status for status, _ in results], [ms for _, ms in results], wall


def _raw_decrements(owner: Any, store: Any, count: int) -> float:
    """The floor: one conditional decrement per autocommit statement, nothing else."""
    from django.db.models import F

    from sangsaeng.commerce import services
    from sangsaeng.commerce.models import Variant

    product = services.product_create(
        actor=owner,
        store_id=store.public_id,
        data={"title": "기준선", "status": "hidden", "variants": [{"sku": "RAW", "price": 1, "stock": count}]},
    )
    pk = product.variants.get().pk
    samples = []
    started = time.perf_counter()
    for _ in range(count):
        one = time.perf_counter()
        Variant.objects.filter(pk=pk, stock__gte=1).update(stock=F("stock") - 1)
        samples.append((time.perf_counter() - one) * 1000)
    rate = count / (time.perf_counter() - started)
    record_samples("raw_decrement", samples, baseline=True)
    return rate


def _afterwards(state: dict[str, Any], stock: int) -> dict[str, Any]:
    """Cancel a tenth, refund 1,000 won of another tenth, then account for every won."""
    from sangsaeng.commerce import services
    from sangsaeng.commerce.models import Order, Variant
    from sangsaeng.payments import selectors as pay_selectors
    from sangsaeng.payments import services as payments

    store, owner = state["store"], state["owner"]
    paid = list(Order.objects.filter(store=store, status=Order.Status.PAID).select_related("buyer"))
    sold_units = sum(line.quantity for o in paid for line in o.lines.all())
    left = Variant.objects.get(pk=state["variant"].pk).stock
    tenth = max(1, len(paid) // 10) if paid else 0
    refunded: dict[int, int] = {}
    for order in paid[:tenth]:
        services.order_cancel(actor=order.buyer, order_id=order.public_id, reason="벤치 취소")
        refunded[order.buyer_id] = order.total
    for order in paid[tenth : 2 * tenth]:
        services.order_refund_partial(
            actor=owner, order_id=order.public_id, amount=1_000, reason="벤치 부분 환불", key="bench"
        )
        refunded[order.buyer_id] = 1_000
    spent = {o.buyer_id: o.total for o in paid}
    off = 0
    for user, _secret in state["buyers"]:
        expected = FUNDS - spent.get(user.pk, 0) + refunded.get(user.pk, 0)
        off += abs(int(payments.wallet_balance(user=user)) - expected)
    payable = pay_selectors.payable_balance(payee_ref=f"channel:{state['channel'].public_id}")
    off += abs(payable - (sum(spent.values()) - sum(refunded.values())))
    audit = payments.ledger_audit()
    off += abs(int(audit["lines_total"])) + abs(int(audit["balances_total"]))
    off += sum(abs(m["cached"] - m["lines"]) for m in audit["mismatched_accounts"])
    return {
        "paid_orders": len(paid),
        "oversold": max(0, sold_units - stock) + max(0, -left),
        "stock_left": left,
        "cancelled": tenth,
        "partially_refunded": min(tenth, max(0, len(paid) - tenth)),
        "ledger_imbalance_krw": off,
        "ledger_ok": bool(audit["ok"]) and off == 0,
    }


@contextmanager
def _site(argv: list[str], env: dict[str, str], probe: str) -> Iterator[None]:
    """The live site; its log goes to a file (a pipe nobody reads would fill and stall the server)."""
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            wait_http(probe)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def run(options: dict[str, Any]) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    buyers = int(options.get("buyers", 200))
    stock = int(options.get("stock", 50))
    workers = int(options.get("workers", os.cpu_count() or 1))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0, interactive=False)
    run_id = secrets.token_hex(4)
    state = _setup(buyers, stock, run_id)
    connection.close()
    port = free_port()
    env = {**os.environ, "DEBUG": "false", "SANGSAENG_PROFILE": os.environ.get("SANGSAENG_PROFILE", "development")}
    argv = [
        str(VENV_BIN / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "8",
        "--no-ws",
        "--log-level",
        "error",
        "sangsaeng.wsgi:application",
    ]
    with _site(argv, env, f"http://127.0.0.1:{port}/healthz"):
        statuses, latencies, wall = _rush(
            f"http://127.0.0.1:{port}", state["store"].handle, str(state["variant"].public_id), state["buyers"]
        )
    record_samples("checkout", latencies)
    outcome = _afterwards(state, stock)
    raw = _raw_decrements(state["owner"], state["store"], max(200, buyers))
    purchases = outcome["paid_orders"] / wall if wall else 0.0
    codes: dict[str, int] = {}
    for status in statuses:
        codes[str(status)] = codes.get(str(status), 0) + 1
    return {
        "name": NAME,
        "database": connection.vendor,
        "buyers": buyers,
        "stock": stock,
        "workers": workers,
        **outcome,
        "http_statuses": codes,
        "server_errors": sum(n for code, n in codes.items() if code.startswith("5")),
        "rush_s": round(wall, 3),
        "purchases_per_s": round(purchases, 1),
        "requests_per_s": round(len(statuses) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "raw_decrements_per_s": round(raw, 1),
        "purchases_per_s_vs_raw_decrement": round(purchases / raw, 4) if raw else 0.0,
        "python": sys.version.split()[0],
    }
