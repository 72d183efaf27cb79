"""The Django side of `sangsaeng bench load`, run in a child process with the deployment's own
environment: `setup` seeds the virtual users and what they act on, `verify` reads back what the
workload did (orders, editions, the ledger audit, the chain outbox).

Seeded: N users, each with an API token, a browser session (for the chat WebSocket), a default
shipping address, a funded Pay wallet (테스트 충전, so this process alone runs with
PAYMENTS_TEST_MODE on; the deployment keeps production's off) and a Bitwarden vault account with a
few dozen encrypted items; group chats of four; a partner channel with a store and a product with
deep stock; an approved creator with an open fixed-price drop whose contract is on the chain.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from importlib import import_module
from typing import Any

import django

PRICE = 1_000
FUNDS = 10_000_000
ADDRESS = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "detail_address": "3층",
    "zone_number": "04524",
    "receiver_name": "부하",
    "receiver_phone_number1": "010-1234-5678",
}


def _session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _vault_account(user: Any, items: int) -> str:
    from bench.vault_sync import _login_item, vault_register
    from sangsaeng.vault import items as vault_items
    from sangsaeng.vault.models import Cipher

    account, login_hash = vault_register(user)
    Cipher.objects.bulk_create(
        [
            Cipher(
                account=account,
                **{
                    k: v
                    for k, v in vault_items.cipher_parse(actor=account, data=_login_item()).items()
                    if k != "last_known"
                },
            )
            for _ in range(items)
        ]
    )
    return login_hash


def _drop(run_id: str, editions: int, per_user: int) -> str:

    from sangsaeng.chain.deploy import contracts_deploy
    from sangsaeng.chain.services import chain_sweep
    from sangsaeng.drops.demo import open_fixed_drop
    from sangsaeng.drops.minting import drops_sweep

    contracts_deploy()
    drop, _artist = open_fixed_drop(
        domain=f"{run_id}.load.invalid",
        editions=editions,
        price=PRICE,
        per_user_limit=per_user,
        seed=11,
        title="러시 아워",
    )
    for _ in range(600):  # the drop's contract, before the rush (the deployment's worker sweeps too)
        drop.refresh_from_db()
        if drop.chain_drop_id is not None:
            break
        drops_sweep()
        chain_sweep()
        time.sleep(0.1)
    else:
        raise RuntimeError("the drop never reached the chain")
    return str(drop.public_id)


def setup(users: int, vault_items: int, group_size: int, editions: int, per_user: int) -> dict[str, Any]:
    from django.db import transaction
    from django.test.utils import override_settings

    from sangsaeng.accounts.services import address_create, token_create, user_create
    from sangsaeng.commerce import services as commerce
    from sangsaeng.messaging import services as messaging
    from sangsaeng.partners import services as partners
    from sangsaeng.payments import services as payments

    run_id = secrets.token_hex(4)
    # Virtual users sign in with tokens and sessions only: a fast hasher for their random passwords.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        owner = user_create(email=f"shop-{run_id}@load.invalid", password=secrets.token_urlsafe(16), validate=False)
        channel = partners.channel_create(owner=owner, name=f"부하 상점 {run_id}", handle=f"load-{run_id}")
        store = commerce.store_open(actor=owner, channel_id=channel.public_id)
        product = commerce.product_create(
            actor=owner,
            store_id=store.public_id,
            data={
                "title": "부하 텀블러",
                "status": "public",
                "variants": [{"sku": "LOAD", "price": PRICE, "stock": 10**6}],
            },
        )
        people: list[dict[str, Any]] = []
        members: list[Any] = []
        for i in range(users):
            with transaction.atomic():
                email = f"vu{i}-{run_id}@load.invalid"
                user = user_create(email=email, password=secrets.token_urlsafe(16), verified=True, validate=False)
                address_create(user=user, data=ADDRESS, is_default=True)
                payments.wallet_topup_test(user=user, amount=FUNDS, idempotency_key=f"load-{run_id}")
                people.append(
                    {
                        "email": email,
                        "token": token_create(user=user, label="load")[1],
                        "cookie": _session_cookie(user),
                    }
                )
                members.append(user)
    for person, user in zip(people, members, strict=True):
        # the vault's login hash is stored with the deployment's own hasher (Argon2), which it checks against
        person["vault_hash"] = _vault_account(user, vault_items)
    conversations: list[dict[str, Any]] = []
    for start in range(0, users, group_size):
        group = members[start : start + group_size]
        if len(group) < 2:
            people[start]["conversation"] = conversations[-1]["id"] if conversations else None
            continue
        conversation = messaging.conversation_group_create(actor=group[0], title=f"부하 {start}", members=group[1:])
        conversations.append({"id": str(conversation.public_id), "members": list(range(start, start + len(group)))})
        for i in range(start, start + len(group)):
            people[i]["conversation"] = str(conversation.public_id)
    return {
        "run_id": run_id,
        "users": people,
        "conversations": conversations,
        "store": channel.handle,
        "store_id": str(store.public_id),
        "variant": str(product.variants.get().public_id),
        "drop": _drop(run_id, editions, per_user),
    }


def verify(store_id: str, drop_id: str, drain_seconds: float) -> dict[str, Any]:
    """What the workload left behind: paid orders, sold editions, the ledger audit and the mints."""
    from sangsaeng.chain.services import chain_sweep
    from sangsaeng.commerce.models import Order
    from sangsaeng.drops import pay
    from sangsaeng.drops.minting import drops_sweep
    from sangsaeng.drops.models import Drop, Edition

    drop = Drop.objects.get(public_id=drop_id)
    editions = Edition.objects.filter(drop=drop)
    orders = Order.objects.filter(store__public_id=store_id, status=Order.Status.PAID).count()
    started = time.perf_counter()
    minted = editions.exclude(token_id=None).count()
    while minted < editions.count() and time.perf_counter() - started < drain_seconds:
        drops_sweep()
        chain_sweep()
        minted = editions.exclude(token_id=None).count()
        time.sleep(0.2)
    audit = pay.ledger_audit()
    return {
        "paid_orders": orders,
        "editions_sold": editions.count(),
        "editions_minted": minted,
        "ledger_ok": bool(audit["ok"]),
        "drain_s": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    django.setup()
    command, args = sys.argv[1], json.loads(sys.argv[2])
    commands: dict[str, Any] = {"setup": setup, "verify": verify}
    print(json.dumps(commands[command](**args)))
