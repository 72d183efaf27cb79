"""The Django side of `sangsaeng bench drop-rush`, run in child processes against the bench's own
var dir, database and chain: `setup` (contracts, an approved creator, the drop, funded buyers with
API tokens), `raw` (the baseline: bare conditional decrements on the same database) and `verify`
(the invariants, then the outbox drained and the on-chain supply read)."""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta
from typing import Any

import django


def setup(buyers: int, editions: int, limit: int, price: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from sangsaeng.accounts.services import token_create, user_create
    from sangsaeng.chain.deploy import contracts_deploy
    from sangsaeng.chain.services import chain_sweep
    from sangsaeng.drops import pay, services
    from sangsaeng.drops.demo import open_fixed_drop
    from sangsaeng.drops.minting import drops_sweep

    contracts_deploy()
    drop, artist = open_fixed_drop(domain="bench.example", editions=editions, price=price, per_user_limit=limit, seed=7)
    scratch = services.drop_create(
        actor=artist,
        artwork_id=drop.artwork.public_id,
        data={
            "format": "fixed",
            "opens_at": timezone.now() + timedelta(days=365),
            "price": price,
            "edition_size": editions,
            "per_user_limit": 1,
            "title": "baseline counter",
        },
    )
    tokens = []
    with transaction.atomic():
        for i in range(buyers):
            user = user_create(email=f"b{i}@bench.example", password=None, verified=True, validate=False)  # type: ignore[arg-type]  # no password: unusable, tokens only
            pay.topup_test(user=user, amount=price * (limit + 1), idempotency_key="bench-fund")
            tokens.append(token_create(user=user, label="bench")[1])
    for _ in range(200):  # the contract drop, before the doors open
        drops_sweep()
        chain_sweep()
        drop.refresh_from_db()
        if drop.chain_drop_id is not None:
            break
        time.sleep(0.05)
    return {"drop": str(drop.public_id), "scratch": scratch.pk, "tokens": tokens, "funds": price * (limit + 1)}


def raw(scratch: int, count: int) -> dict[str, Any]:
    """Bare atomic conditional decrements of one counter, one transaction each: the database's ceiling."""
    from django.db import transaction
    from django.db.models import F

    from bench.harness import record_samples
    from sangsaeng.drops.models import Drop

    samples = []
    started = time.perf_counter()
    done = 0
    for _ in range(count):
        one = time.perf_counter()
        with transaction.atomic():
            done += Drop.objects.filter(pk=scratch, sold__lt=F("edition_size")).update(sold=F("sold") + 1)
        samples.append((time.perf_counter() - one) * 1000)
    seconds = time.perf_counter() - started
    record_samples("raw_decrement", samples, baseline=True)
    return {"raw_decrements": done, "raw_seconds": seconds}


def verify(drop_id: str, limit: int, funds: int, drain_seconds: float) -> dict[str, Any]:
    from django.db.models import Count, Sum

    from sangsaeng.accounts.selectors import user_get_by_email
    from sangsaeng.chain.services import chain_sweep, edition_drop_minted
    from sangsaeng.drops import pay
    from sangsaeng.drops.minting import drops_sweep
    from sangsaeng.drops.models import Drop, Edition

    drop = Drop.objects.select_related("creator__user").get(public_id=drop_id)
    editions = Edition.objects.filter(drop=drop)
    sold = editions.count()
    over = editions.values("buyer").annotate(n=Count("id")).filter(n__gt=limit).count()
    spent_by: dict[int, int] = {
        row["buyer"]: int(row["s"]) for row in editions.values("buyer").annotate(s=Sum("price_paid"))
    }
    charged_without = 0
    spent_total = 0
    for i in range(1_000_000):
        user = user_get_by_email(email=f"b{i}@bench.example")
        if user is None:
            break
        spent = funds - pay.balance(user=user)
        spent_total += spent
        if spent != spent_by.get(user.pk, 0):
            charged_without += 1
    audit = pay.ledger_audit()
    creator_payable = pay.payable(user=drop.creator.user)
    imbalance = abs(int(audit["lines_total"])) + abs(spent_total - creator_payable)
    if not audit["ok"]:
        imbalance += sum(abs(m["cached"] - m["lines"]) for m in audit["mismatched_accounts"]) or 1
    started = time.perf_counter()
    minted = 0
    while time.perf_counter() - started < drain_seconds:
        drops_sweep()
        chain_sweep()
        drop.refresh_from_db()
        if drop.chain_drop_id is not None:
            minted = edition_drop_minted(drop_id=drop.chain_drop_id)
            if minted >= sold and not editions.filter(minted_at__isnull=True).exists():
                break
        time.sleep(0.05)
    return {
        "sold": sold,
        "counter": drop.sold,
        "oversold": max(0, sold - drop.edition_size) + int(drop.sold != sold),
        "users_over_limit": over,
        "charged_without_edition": charged_without,
        "ledger_imbalance_krw": imbalance,
        "minted_onchain": minted,
        "drain_s": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    django.setup()
    command, args = sys.argv[1], json.loads(sys.argv[2])
    commands: dict[str, Any] = {"setup": setup, "raw": raw, "verify": verify}
    result = commands[command](**args)
    print(json.dumps(result))
