"""First sale under a rush: fixed-price and Dutch-auction editions, paid from the Pay wallet.

Why this can't oversell or pass a per-person limit, on SQLite and PostgreSQL alike:
1. The drop's `sold` counter moves only by a conditional UPDATE (`sold < edition_size`), which
   takes the drop row's write lock. Purchases of one drop therefore commit one after another, in
   the order they reached the lock (first come, first served), and the number the UPDATE leaves is
   the new edition's number. A CHECK constraint (`sold <= edition_size`) backs it up.
2. The buyer's editions are counted *after* that UPDATE, under the lock, so a racing request of
   the same person sees the first one; the unique slot (drop, buyer, n) refuses a second n anyway.
3. The Pay debit runs in the same database transaction. When it refuses (insufficient funds) the
   counter and the edition roll back with it: no money without an edition, no edition without money.
A retry with the same Idempotency-Key finds the edition it already bought.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sangsaeng.drops import pay, waiting_room
from sangsaeng.drops.access import access_drop_public
from sangsaeng.drops.models import Activity, AllowlistEntry, Drop, Edition
from sangsaeng.drops.problems import closed, invalid, not_open, over_limit, sold_out, wrong_format
from sangsaeng.drops.write_gate import write_gate


def dutch_price(drop: Drop, at: Any = None) -> int:
    """The Dutch auction's price now: down by decay_amount every decay_minutes, never below the floor."""
    now = at or timezone.now()
    if now <= drop.opens_at or not drop.decay_minutes:
        return int(drop.start_price)
    steps = int((now - drop.opens_at).total_seconds() // (drop.decay_minutes * 60))
    return max(int(drop.floor_price), int(drop.start_price) - steps * int(drop.decay_amount))


def current_price(drop: Drop) -> int:
    return dutch_price(drop) if drop.format == Drop.Format.DUTCH else int(drop.price)


def _check_open(drop: Drop, buyer: Any) -> None:
    now = timezone.now()
    if drop.format == Drop.Format.ENGLISH:
        raise wrong_format("fixed-price or Dutch")
    if now < drop.opens_at:
        presale = drop.presale_opens_at is not None and now >= drop.presale_opens_at
        if not (presale and AllowlistEntry.objects.filter(drop=drop, user=buyer).exists()):
            raise not_open(drop.opens_at)
    if drop.closes_at is not None and now >= drop.closes_at:
        raise closed()


def edition_purchase(*, buyer: Any, drop_id: Any, idempotency_key: str, admit: bool = True) -> Edition:
    """Buy the next edition of a drop at its current price; see the module docstring for the guarantees.

    `admit` passes through the waiting room first (the API does; the operator's tools may not).
    """
    if not idempotency_key or len(idempotency_key) > 100:
        raise invalid(
            "Idempotency-Key",
            "Idempotency-Key가 필요합니다 (1~100자).",
            "An Idempotency-Key (1-100 chars) is required.",
        )
    drop = access_drop_public(id=drop_id)
    done = Edition.objects.filter(buyer=buyer, purchase_key=f"{drop.pk}:{idempotency_key}").first()
    if done is not None:
        return done
    _check_open(drop, buyer)
    if drop.sold >= drop.edition_size:
        raise sold_out()
    if Edition.objects.filter(drop=drop, buyer=buyer).count() >= drop.per_user_limit:
        raise over_limit(drop.per_user_limit)
    if admit:
        waiting_room.admit(drop=drop, user=buyer)
    price = current_price(drop)
    key = f"{drop.pk}:{idempotency_key}"
    try:
        with write_gate(), transaction.atomic():
            if not Drop.objects.filter(pk=drop.pk, sold__lt=F("edition_size")).update(sold=F("sold") + 1):
                raise sold_out()
            number = Drop.objects.values_list("sold", flat=True).get(pk=drop.pk)
            owned = Edition.objects.filter(drop=drop, buyer=buyer).count()
            if owned >= drop.per_user_limit:
                raise over_limit(drop.per_user_limit)
            edition = Edition.objects.create(
                drop=drop,
                number=number,
                buyer=buyer,
                buyer_slot=owned + 1,
                owner=buyer,
                price_paid=price,
                purchase_key=key,
            )
            edition.payment_ref = pay.charge(
                payer=buyer,
                payee=drop.creator.user,
                amount=price,
                purpose="drops_primary",
                order_ref=f"drops-edition:{edition.public_id}",
                idempotency_key=f"drops-buy:{buyer.public_id}:{key}",
            )
            edition.save(update_fields=["payment_ref"])
            Activity.objects.create(
                kind=Activity.Kind.SALE,
                drop=drop,
                edition=edition,
                actor=buyer,
                counterparty=drop.creator.user,
                price=price,
            )
    except IntegrityError as exc:
        # the same person's racing request took the slot, or this key's first attempt committed
        done = Edition.objects.filter(buyer=buyer, purchase_key=key).first()
        if done is not None:
            return done
        raise over_limit(drop.per_user_limit) from exc
    return edition
