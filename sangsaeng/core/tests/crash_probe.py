"""The Django side of the crash suite (test_crash.py), run as `python -m sangsaeng.core.tests.crash_probe
COMMAND JSON` against a scenario's own SQLite file and chain node: `*_setup` makes the data a
scenario drives through the live processes, `*_state` reads the invariants back from the database
and the chain after the crash and the restart. Each command prints one JSON line.

Nothing here is assumed: every count is read from the tables (and the chain) the apps keep.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import django

PRICE = 9_900
FUNDS = 50_000
ADDRESS = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "detail_address": "3층",
    "zone_number": "04524",
    "receiver_name": "크래시",
    "receiver_phone_number1": "010-1234-5678",
}


def _person(email: str) -> Any:
    from sangsaeng.accounts.services import user_create

    # no password: tokens only, and no Argon2 hashing for dozens of users
    return user_create(email=email, password=None, verified=True, validate=False)  # type: ignore[arg-type]


def person_setup(email: str) -> dict[str, Any]:
    from sangsaeng.accounts.services import token_create

    return {"token": token_create(user=_person(email), label="crash")[1]}


def checkout_setup(buyers: int, stock: int) -> dict[str, Any]:
    from django.db import transaction

    from sangsaeng.accounts.services import address_create, token_create
    from sangsaeng.commerce import services as commerce
    from sangsaeng.partners import services as partners
    from sangsaeng.payments import services as payments

    owner = _person("owner@crash.example")
    channel = partners.channel_create(owner=owner, name="크래시 상점", handle="crash-store")
    store = commerce.store_open(actor=owner, channel_id=channel.public_id)
    product = commerce.product_create(
        actor=owner,
        store_id=store.public_id,
        data={
            "title": "한정 텀블러",
            "status": "public",
            "variants": [{"sku": "CRASH", "price": PRICE, "stock": stock}],
        },
    )
    tokens = []
    with transaction.atomic():
        for i in range(buyers):
            user = _person(f"buyer{i}@crash.example")
            address_create(user=user, data=ADDRESS, is_default=True)
            payments.wallet_topup_test(user=user, amount=FUNDS, idempotency_key="crash-fund")
            tokens.append(token_create(user=user, label="crash")[1])
    return {"handle": store.handle, "variant": str(product.variants.get().public_id), "tokens": tokens}


def checkout_state(stock: int, sweep: bool) -> dict[str, Any]:
    """Orders, reservations, payments and the ledger after the crash. With `sweep`, first what the
    restarted worker does once time has passed: due outbox events, then the reservation sweep."""
    from django.db.models import Sum
    from django.utils import timezone
    from freezegun import freeze_time

    from sangsaeng.commerce.models import Order, StockReservation, Variant
    from sangsaeng.commerce.services import reservations_sweep
    from sangsaeng.payments.models import Payment
    from sangsaeng.payments.services import ledger_audit, wallet_balance

    swept: dict[str, int] = {}
    if sweep:
        from django.conf import settings

        swept["outbox"] = _outbox_drain()
        later = timezone.now() + timedelta(minutes=settings.COMMERCE_RESERVATION_MINUTES, seconds=61)
        with freeze_time(later):
            swept["reservations"] = reservations_sweep()
        swept["outbox_after"] = _outbox_drain()
    variant = Variant.objects.get(sku="CRASH")
    orders = list(Order.objects.select_related("buyer"))
    payments = list(Payment.objects.filter(order_ref__startswith="commerce:order:"))
    paid_by_order: Counter[str] = Counter()
    kept_by_order: Counter[str] = Counter()  # money a payment still holds after its refunds
    for p in payments:
        if p.status == "paid" or p.refunded:
            paid_by_order[p.order_ref] += 1
            kept_by_order[p.order_ref] += p.amount - p.refunded
    held = StockReservation.objects.filter(state=StockReservation.State.HELD)
    sold = int(
        StockReservation.objects.filter(state=StockReservation.State.CONSUMED).aggregate(s=Sum("quantity"))["s"] or 0
    )
    reserved = int(held.aggregate(s=Sum("quantity"))["s"] or 0)
    wallets_off = 0
    for order_buyer in {o.buyer for o in orders}:
        spent = sum(kept_by_order[f"commerce:order:{o.public_id}"] for o in orders if o.buyer_id == order_buyer.pk)
        wallets_off += abs(FUNDS - spent - int(wallet_balance(user=order_buyer)))
    audit = ledger_audit()
    return {
        "swept": swept,
        "orders": dict(Counter(str(o.status) for o in orders)),
        "orders_per_buyer_max": max(Counter(o.buyer_id for o in orders).values(), default=0),
        "payments_per_buyer_max": max(Counter(p.payer_id for p in payments).values(), default=0),
        "captures_max_per_order": max(paid_by_order.values(), default=0),
        "paid_orders_money_kept": sum(
            1 for o in orders if o.status == "paid" and kept_by_order[f"commerce:order:{o.public_id}"] == o.total
        ),
        "closed_orders_money_kept": sum(
            kept_by_order[f"commerce:order:{o.public_id}"] for o in orders if o.status in ("expired", "cancelled")
        ),
        "reservations_held": held.count(),
        "reservations_held_for_closed_orders": held.exclude(order__status="placed").count(),
        "stock": variant.stock,
        "sold": sold,
        "reserved": reserved,
        "stock_accounted": variant.stock + sold + reserved == stock,
        "wallets_off_krw": wallets_off,
        "ledger_ok": bool(audit["ok"]),
        "ledger_lines_total": int(audit["lines_total"]),
    }


def _outbox_drain() -> int:
    """What the restarted worker does with every event not yet handled (lost enqueues included,
    which its periodic sweep picks up once they are 30 s old): run it now."""
    from sangsaeng.core.models import OutboxEvent
    from sangsaeng.core.outbox import event_process

    ids = list(OutboxEvent.objects.filter(processed_at__isnull=True).order_by("id").values_list("id", flat=True))
    for event_id in ids:
        assert event_process(event_id=event_id), f"outbox event {event_id} failed"
    return len(ids)


def drop_setup(buyers: int, editions: int) -> dict[str, Any]:
    from django.db import transaction

    from sangsaeng.accounts.services import token_create
    from sangsaeng.chain.deploy import contracts_deploy
    from sangsaeng.drops import pay
    from sangsaeng.drops.demo import open_fixed_drop

    contracts_deploy()
    drop, _artist = open_fixed_drop(domain="crash.example", editions=editions, price=PRICE, per_user_limit=1, seed=3)
    tokens = []
    with transaction.atomic():
        for i in range(buyers):
            user = _person(f"fan{i}@crash.example")
            pay.topup_test(user=user, amount=FUNDS, idempotency_key="crash-fund")
            tokens.append(token_create(user=user, label="crash")[1])
    return {"drop": str(drop.public_id), "tokens": tokens}


def drop_state(drop_id: str) -> dict[str, Any]:
    from django.db.models import Count

    from sangsaeng.chain.editions import edition_drop_minted, edition_owner
    from sangsaeng.chain.models import ChainTransaction
    from sangsaeng.chain.selectors import wallet_get
    from sangsaeng.drops import pay
    from sangsaeng.drops.models import Drop, Edition

    drop = Drop.objects.select_related("creator__user").get(public_id=drop_id)
    editions = list(Edition.objects.filter(drop=drop).select_related("buyer"))
    minted_rows = [e for e in editions if e.minted_at is not None]
    state: dict[str, Any] = {
        "sold_counter": drop.sold,
        "editions": len(editions),
        "numbers_gapless": sorted(e.number for e in editions) == list(range(1, len(editions) + 1)),
        "buyers_over_limit": Edition.objects.filter(drop=drop)
        .values("buyer")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "minted_rows": len(minted_rows),
        "token_ids_unique": len({e.token_id for e in minted_rows}) == len(minted_rows),
        "mint_txs": dict(
            Counter(
                ChainTransaction.objects.filter(operation="ArtworkEditions.mint_batch").values_list("status", flat=True)
            )
        ),
        "chain_drop_id": drop.chain_drop_id,
    }
    charged_wrong = 0
    for e in editions:
        if FUNDS - pay.balance(user=e.buyer) != e.price_paid:
            charged_wrong += 1
    state["charged_wrong"] = charged_wrong
    state["creator_payable"] = pay.payable(user=drop.creator.user)
    state["editions_paid_total"] = sum(e.price_paid for e in editions)
    state["ledger_ok"] = bool(pay.ledger_audit()["ok"])
    if drop.chain_drop_id is not None:
        state["minted_on_chain"] = edition_drop_minted(drop_id=drop.chain_drop_id)
        owners_ok = 0
        for e in minted_rows:
            wallet = wallet_get(user=e.buyer)
            holder = edition_owner(token_id=int(e.token_id or 0)) or ""
            if wallet is not None and holder.lower() == wallet.address.lower():
                owners_ok += 1
        state["owners_match"] = owners_ok
    return state


def contributions_setup(count: int, docs: int) -> dict[str, Any]:
    """`count` contributions of `docs` JSONL documents each: Korean text (accepted) and one line of
    English (rejected), each contribution queued for the worker as a real upload is."""
    from sangsaeng.accounts.services import token_create
    from sangsaeng.chain.deploy import contracts_deploy
    from sangsaeng.contributions import services
    from sangsaeng.contributions.synthetic import document

    contracts_deploy()
    rng = random.Random(11)
    ids = []
    for i in range(count):
        owner = _person(f"writer{i}@crash.example")
        token_create(user=owner, label="crash")
        lines = [json.dumps({"text": document(rng)}, ensure_ascii=False) for _ in range(docs - 1)]
        lines.append(json.dumps({"text": "This line is English only and the Korean filter must reject it. " * 2}))
        c = services.contribution_create(
            owner=owner, raw="\n".join(lines).encode(), name="batch.jsonl", licence="cc0", licence_accepted=True
        )
        ids.append(str(c.public_id))
    return {"contributions": ids}


def contributions_state() -> dict[str, Any]:
    from django.conf import settings
    from django.db.models import Count

    from sangsaeng.chain.gateway import artifact, chain_web3
    from sangsaeng.chain.models import ChainTransaction
    from sangsaeng.chain.selectors import contract_get, wallet_get
    from sangsaeng.contributions.models import Contribution, Document

    contributions = list(Contribution.objects.select_related("owner"))
    accepted = [c for c in contributions if c.status == "accepted"]
    state: dict[str, Any] = {
        "statuses": dict(Counter(str(c.status) for c in contributions)),
        "documents": Document.objects.count(),
        "documents_decided": dict(Counter(Document.objects.values_list("status", flat=True))),
        "max_documents_per_index": max(
            Document.objects.values("contribution", "index").annotate(n=Count("id")).values_list("n", flat=True),
            default=0,
        ),
    }
    mints = Counter(
        ChainTransaction.objects.filter(operation="ContributionShares.mint").values_list("idempotency_key", flat=True)
    )
    state["mint_intents"] = sum(mints.values())
    state["mint_intents_max_per_key"] = max(mints.values(), default=0)
    state["mints_confirmed"] = ChainTransaction.objects.filter(
        operation="ContributionShares.mint", status="confirmed"
    ).count()
    w3 = chain_web3()
    shares = w3.eth.contract(
        address=w3.to_checksum_address(contract_get(name="ContributionShares").address),
        abi=artifact("ContributionShares")["abi"],
    )
    right = 0
    for c in accepted:
        wallet = wallet_get(user=c.owner)
        expected = c.token_count * settings.CONTRIBUTIONS_SHARES_PER_TOKEN
        if wallet is not None and shares.functions.balanceOf(w3.to_checksum_address(wallet.address)).call() == expected:
            right += 1
    state["accepted"] = len(accepted)
    state["shares_right"] = right
    state["total_supply_matches"] = shares.functions.totalSupply().call() == sum(
        c.token_count * settings.CONTRIBUTIONS_SHARES_PER_TOKEN for c in accepted
    )
    return state


def shares_enqueue(count: int) -> dict[str, Any]:
    """`count` mint intents in the chain outbox, to fresh addresses, as any app enqueues them."""
    from eth_account import Account

    from sangsaeng.chain.deploy import contracts_deploy
    from sangsaeng.chain.transactions import contract_call_enqueue

    contracts_deploy()
    addresses = [Account.create().address for _ in range(count)]
    for i, address in enumerate(addresses):
        contract_call_enqueue(
            idempotency_key=f"crash-mint-{i}",
            operation="ContributionShares.mint",
            contract_name="ContributionShares",
            function="mint",
            args=[address, i + 1],
        )
    return {"addresses": addresses}


def shares_state(addresses: list[str]) -> dict[str, Any]:
    from sangsaeng.chain.gateway import artifact, chain_web3
    from sangsaeng.chain.models import ChainTransaction
    from sangsaeng.chain.selectors import contract_get

    w3 = chain_web3()
    shares = w3.eth.contract(
        address=w3.to_checksum_address(contract_get(name="ContributionShares").address),
        abi=artifact("ContributionShares")["abi"],
    )
    rows = ChainTransaction.objects.filter(operation="ContributionShares.mint")
    return {
        "balances": [shares.functions.balanceOf(w3.to_checksum_address(a)).call() for a in addresses],
        "total_supply": shares.functions.totalSupply().call(),
        "statuses": dict(Counter(rows.values_list("status", flat=True))),
        "attempts_max": max(rows.values_list("attempts", flat=True), default=0),
        **chain_nonces(),
    }


def chain_nonces() -> dict[str, Any]:
    """The relayer's nonces in the outbox against the chain's own count of its transactions."""
    from sangsaeng.chain.gateway import chain_web3
    from sangsaeng.chain.models import ChainTransaction
    from sangsaeng.chain.relayer import relayer_account

    nonces = sorted(
        n for n in ChainTransaction.objects.exclude(nonce=None).values_list("nonce", flat=True) if n is not None
    )
    return {
        "nonces_gapless": nonces == list(range(len(nonces))),
        "nonces": len(nonces),
        "relayer_tx_count": chain_web3().eth.get_transaction_count(relayer_account().address),
    }


COMMANDS: dict[str, Any] = {
    "person_setup": person_setup,
    "checkout_setup": checkout_setup,
    "checkout_state": checkout_state,
    "drop_setup": drop_setup,
    "drop_state": drop_state,
    "contributions_setup": contributions_setup,
    "contributions_state": contributions_state,
    "chain_nonces": chain_nonces,
    "shares_enqueue": shares_enqueue,
    "shares_state": shares_state,
}

if __name__ == "__main__":
    django.setup()
    started = time.perf_counter()
    result = COMMANDS[sys.argv[1]](**json.loads(sys.argv[2]))
    result["probe_s"] = round(time.perf_counter() - started, 2)
    print(json.dumps(result, default=str))
