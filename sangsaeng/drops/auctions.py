"""English auctions: bids hold money in Pay, outbid holds are released, the winner's hold is captured.

A bid runs in one transaction that locks the drop row (PostgreSQL: SELECT ... FOR UPDATE; SQLite:
the IMMEDIATE write lock), so bids of one auction are ordered and each compares itself with the
leading bid the one before it left. A new leading bid places its hold, then releases the previous
leader's hold in the same transaction: at any moment exactly one hold per auction is open.
Anti-sniping: a bid that lands within `anti_snipe_minutes` of the end moves the end to
`extension_minutes` after the bid.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.drops import pay
from sangsaeng.drops.access import access_drop_public
from sangsaeng.drops.models import Activity, Bid, Drop, Edition
from sangsaeng.drops.problems import bid_too_low, closed, invalid, not_open, wrong_format
from sangsaeng.drops.write_gate import write_gate


def minimum_bid(drop: Drop, leading: Bid | None) -> int:
    return int(leading.amount + drop.min_increment) if leading else max(int(drop.reserve_price), 1)


def bid_place(*, bidder: Any, drop_id: Any, amount: int, idempotency_key: str) -> Bid:
    """Bid on an English auction; the amount is held in the bidder's wallet until outbid or won."""
    if not idempotency_key or len(idempotency_key) > 100:
        raise invalid(
            "Idempotency-Key",
            "Idempotency-Key가 필요합니다 (1~100자).",
            "An Idempotency-Key (1-100 chars) is required.",
        )
    drop = access_drop_public(id=drop_id)
    done = Bid.objects.filter(bidder=bidder, idempotency_key=idempotency_key, drop=drop).first()
    if done is not None:
        return done
    if drop.format != Drop.Format.ENGLISH:
        raise wrong_format("auction")
    if drop.creator.user_id == bidder.pk:
        raise invalid("drop", "내 작품에는 입찰할 수 없습니다.", "You can't bid on your own drop.")
    try:
        with write_gate(), transaction.atomic():
            drop = Drop.objects.select_for_update().get(pk=drop.pk)
            now = timezone.now()
            if now < drop.opens_at:
                raise not_open(drop.opens_at)
            if drop.settled_at is not None or (drop.closes_at is not None and now >= drop.closes_at):
                raise closed()
            leading = Bid.objects.filter(drop=drop, status=Bid.Status.LEADING).first()
            minimum = minimum_bid(drop, leading)
            if amount < minimum:
                raise bid_too_low(minimum)
            hold_id = pay.hold(
                user=bidder,
                amount=amount,
                ref=f"drops-bid:{drop.public_id}",
                idempotency_key=f"drops-bid:{bidder.public_id}:{drop.pk}:{idempotency_key}",
            )
            if leading is not None:
                leading.status = Bid.Status.OUTBID
                leading.released_at = now
                leading.save(update_fields=["status", "released_at", "updated_at"])
                pay.hold_release(hold_id=leading.hold_id)
            bid = Bid.objects.create(
                drop=drop, bidder=bidder, amount=amount, hold_id=hold_id, idempotency_key=idempotency_key
            )
            assert drop.closes_at is not None
            if drop.anti_snipe_minutes and drop.closes_at - now <= timedelta(minutes=drop.anti_snipe_minutes):
                drop.closes_at = max(drop.closes_at, now + timedelta(minutes=drop.extension_minutes))
                drop.save(update_fields=["closes_at", "updated_at"])
            Activity.objects.create(kind=Activity.Kind.BID, drop=drop, actor=bidder, price=amount)
    except IntegrityError as exc:
        done = Bid.objects.filter(bidder=bidder, idempotency_key=idempotency_key, drop=drop).first()
        if done is not None:
            return done
        raise closed() from exc
    return bid


def auction_close(*, drop: Drop) -> Drop:
    """Settle one ended auction: capture the leading hold for the creator, give the winner edition #1."""
    with transaction.atomic():
        drop = Drop.objects.select_for_update().select_related("creator__user").get(pk=drop.pk)
        if drop.settled_at is not None or drop.closes_at is None or timezone.now() < drop.closes_at:
            return drop
        leading = Bid.objects.filter(drop=drop, status=Bid.Status.LEADING).first()
        drop.settled_at = timezone.now()
        if leading is not None:
            pay.hold_capture(
                hold_id=leading.hold_id,
                payee=drop.creator.user,
                idempotency_key=f"drops-auction:{drop.public_id}",
            )
            leading.status = Bid.Status.WON
            leading.save(update_fields=["status", "updated_at"])
            drop.sold = 1
            drop.winner = leading.bidder
            drop.final_price = leading.amount
            edition = Edition.objects.create(
                drop=drop,
                number=1,
                buyer=leading.bidder,
                buyer_slot=1,
                owner=leading.bidder,
                price_paid=leading.amount,
                payment_ref=leading.hold_id,
                purchase_key=f"{drop.pk}:auction",
            )
            Activity.objects.create(
                kind=Activity.Kind.WON,
                drop=drop,
                edition=edition,
                actor=leading.bidder,
                counterparty=drop.creator.user,
                price=leading.amount,
            )
        drop.save(update_fields=["settled_at", "sold", "winner", "final_price", "updated_at"])
    return drop


def auctions_close_due() -> int:
    """The periodic job: settle every English auction whose end has passed."""
    due = Drop.objects.filter(
        format=Drop.Format.ENGLISH, settled_at__isnull=True, cancelled_at__isnull=True, closes_at__lte=timezone.now()
    )
    count = 0
    for drop in due:
        auction_close(drop=drop)
        count += 1
    return count
