"""Lazy minting: editions are sold in the database first and minted on chain afterwards, in batches.

- Each drop gets its contract drop (hard supply cap = edition size, EIP-2981 royalty to the
  creator's custodial wallet) through the chain outbox; its id is read from the confirmed receipt.
- Sold editions are minted in order of their numbers, MINT_BATCH per transaction, to their buyers'
  custodial wallets. Because `mint_batch` numbers tokens in call order from 1, edition n of chain
  drop d is token d * 1_000_000 + n. Purchases commit in number order (sales.py), so the job only
  ever sees a gapless run of unminted numbers.
- A batch's outbox key names its first edition, so a re-run of the job enqueues nothing twice.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sangsaeng.chain import selectors as chain_selectors
from sangsaeng.chain import services as chain
from sangsaeng.core.errors import Problem
from sangsaeng.drops.auctions import auctions_close_due
from sangsaeng.drops.models import Activity, Drop, Edition

log = logging.getLogger(__name__)
MINT_BATCH = 100
EDITION_SPACE = 1_000_000


def _drop_key(drop: Drop) -> str:
    return f"drops-drop:{drop.public_id}"


def drops_chain_sync() -> dict[str, int]:
    """Create contract drops for drops that have none yet, and learn the ids of confirmed ones."""
    created = learned = 0
    for drop in Drop.objects.filter(chain_drop_id__isnull=True, cancelled_at__isnull=True).select_related(
        "creator__user"
    )[:50]:
        key = _drop_key(drop)
        if chain_selectors.transaction_get_by_key(idempotency_key=key) is None:
            chain.edition_drop_create(
                idempotency_key=key,
                cap=drop.edition_size,
                royalty_receiver=chain.wallet_get_or_create(user=drop.creator.user).address,
                royalty_bps=drop.royalty_bps,
            )
            created += 1
            continue
        drop_id = chain.edition_drop_id(idempotency_key=key)
        if drop_id is not None:
            Drop.objects.filter(pk=drop.pk).update(chain_drop_id=drop_id)
            learned += 1
    return {"created": created, "learned": learned}


def editions_mint_pending() -> dict[str, int]:
    """Enqueue mint batches for sold, unminted editions; mark editions whose batch is confirmed."""
    batches = minted = 0
    for drop in (
        Drop.objects.filter(chain_drop_id__isnull=False)
        .filter(Q(editions__mint_key="") | Q(editions__minted_at__isnull=True, editions__mint_key__gt=""))
        .distinct()
    ):
        while True:
            pending = list(
                Edition.objects.filter(drop=drop, mint_key="").select_related("buyer").order_by("number")[:MINT_BATCH]
            )
            if not pending:
                break
            first = pending[0].number
            key = f"drops-mint:{drop.public_id}:{first}"
            with transaction.atomic():
                chain.editions_mint(
                    idempotency_key=key, drop_id=int(drop.chain_drop_id or 0), owners=[e.buyer for e in pending]
                )
                for edition in pending:
                    edition.mint_key = key
                    edition.token_id = int(drop.chain_drop_id or 0) * EDITION_SPACE + edition.number
                Edition.objects.bulk_update(pending, ["mint_key", "token_id"])
            batches += 1
        for key in (
            Edition.objects.filter(drop=drop, minted_at__isnull=True)
            .exclude(mint_key="")
            .values_list("mint_key", flat=True)
            .distinct()
        ):
            tx = chain_selectors.transaction_get_by_key(idempotency_key=key)
            if tx is None or tx.status != "confirmed":
                continue
            with transaction.atomic():
                editions = list(Edition.objects.filter(drop=drop, mint_key=key, minted_at__isnull=True))
                Edition.objects.filter(pk__in=[e.pk for e in editions]).update(minted_at=timezone.now())
                Activity.objects.bulk_create(
                    [Activity(kind=Activity.Kind.MINTED, drop=drop, edition=e, actor=e.buyer) for e in editions]
                )
            minted += len(editions)
    return {"batches": batches, "minted": minted}


def drops_sweep() -> dict[str, Any]:
    """The periodic job: settle ended auctions, then the chain side (drops, mints) when a chain is there."""
    result: dict[str, Any] = {"auctions_closed": auctions_close_due()}
    try:
        result.update(drops_chain_sync())
        result.update(editions_mint_pending())
    except Problem as exc:
        if exc.code != "contract_not_deployed":
            raise
        result["chain"] = "contracts not deployed yet"
    except (requests.ConnectionError, requests.Timeout, ConnectionError) as exc:
        log.warning("chain node unreachable: %r", exc)
        result["chain"] = "unreachable"
    return result
