"""Broadcast posts: writing and scheduling them, the legal rules on who gets an advertisement when,
and delivery recorded once per recipient.

Who gets a post at a given moment:
- not advertising: every follower, day or night;
- advertising, 08:00-21:00 KST: followers with marketing consent;
- advertising, 21:00-08:00 KST: only those who also gave night consent (§50 ③). The rest wait:
  the broadcast stays `waiting` and the periodic job delivers to them from 08:00 KST.
A post for a customer segment (audiences.py) goes only to the segment's members as they were when
it was written (BroadcastTarget rows), and to them under the same rules above.

Delivery is one INSERT … SELECT of the eligible followers not yet delivered, guarded by the
(broadcast, user) unique constraint, so a re-run or two workers at once never deliver twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.outbox import event_emit
from sangsaeng.partners import audiences, images
from sangsaeng.partners.channels import EDITORS, access_channel_staff
from sangsaeng.partners.models import Broadcast, BroadcastImage, BroadcastTarget, Delivery, Follow
from sangsaeng.partners.quiet_hours import is_night, night_ends_after

CARD_KINDS = ("product", "store", "drop", "link")
MAX_CARDS = 10
MAX_IMAGES = 4
PAST_GRACE = timedelta(minutes=1)
MAX_AHEAD = timedelta(days=90)


def broadcast_card_kinds() -> tuple[str, ...]:
    """Kinds of card a broadcast accepts; commerce sends `product` cards, drops `drop` cards."""
    return CARD_KINDS


def _bad(field: str, code: str, ko: str, en: str, status: int = 422) -> Problem:
    return Problem(code=code, status=status, field=field, ko=ko, en=en)


def _url_ok(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and len(value) <= 500


def cards_clean(cards: list[Any]) -> list[dict[str, Any]]:
    """Generic card payloads: {kind, title, url, image, price_krw}."""
    if not isinstance(cards, list) or len(cards) > MAX_CARDS:
        raise _bad(
            "cards", "too_many_cards", f"카드는 {MAX_CARDS}개까지 넣을 수 있습니다.", f"At most {MAX_CARDS} cards."
        )
    clean = []
    for i, card in enumerate(cards):
        field = f"cards.{i}"
        if not isinstance(card, dict):
            raise _bad(field, "invalid_card", "카드 형식이 올바르지 않습니다.", "A card must be an object.")
        kind, title = str(card.get("kind") or ""), " ".join(str(card.get("title") or "").split())
        url, image, price = str(card.get("url") or ""), str(card.get("image") or ""), card.get("price_krw")
        if kind not in CARD_KINDS:
            raise _bad(f"{field}.kind", "invalid_card_kind", "지원하지 않는 카드 종류입니다.", "Unknown card kind.")
        if not title or len(title) > 80:
            raise _bad(
                f"{field}.title", "invalid_card", "카드 제목은 1~80자입니다.", "A card title is 1-80 characters."
            )
        if not _url_ok(url):
            raise _bad(f"{field}.url", "invalid_card_url", "http(s) 주소를 입력하세요.", "The url must be http(s).")
        if image and not _url_ok(image):
            raise _bad(f"{field}.image", "invalid_card_url", "http(s) 주소를 입력하세요.", "The image must be http(s).")
        if price is not None and (isinstance(price, bool) or not isinstance(price, int) or not 0 <= price <= 10**10):
            raise _bad(
                f"{field}.price_krw", "invalid_price", "가격은 0 이상의 원 단위 정수입니다.", "Price is whole won >= 0."
            )
        clean.append({"kind": kind, "title": title, "url": url, "image": image, "price_krw": price})
    return clean


def broadcast_create(
    *,
    actor: Any,
    channel_id: Any,
    text: str,
    is_advertising: bool = True,
    cards: list[Any] | None = None,
    scheduled_at: datetime | None = None,
    image_files: list[bytes] | None = None,
    segment: str | None = None,
    now: datetime | None = None,
) -> Broadcast:
    """Write a post for the followers (owner or manager). Without `scheduled_at` it goes now: the
    eligible followers get it before this returns. With `segment` only the followers among that
    segment's customers of this channel, taken now, may get it."""
    now = now or timezone.now()
    channel = access_channel_staff(actor=actor, channel_id=channel_id, roles=EDITORS)
    body = str(text or "").strip()
    clean_cards = cards_clean(cards or [])
    files = image_files or []
    if not body and not clean_cards and not files:
        raise _bad("text", "missing_field", "내용을 입력하세요.", "Write something to send.")
    if len(body) > 2000:
        raise _bad("text", "too_long", "2000자 이하로 입력하세요.", "At most 2000 characters.")
    if len(files) > MAX_IMAGES:
        raise _bad("images", "too_many_images", f"이미지는 {MAX_IMAGES}장까지입니다.", f"At most {MAX_IMAGES} images.")
    if scheduled_at is not None:
        if scheduled_at.tzinfo is None:
            raise _bad("scheduled_at", "naive_datetime", "시간대를 포함해 입력하세요.", "Give a time zone offset.")
        if scheduled_at < now - PAST_GRACE:
            raise _bad("scheduled_at", "schedule_in_past", "지난 시각으로 예약할 수 없습니다.", "That time has passed.")
        if scheduled_at > now + MAX_AHEAD:
            raise _bad("scheduled_at", "schedule_too_far", "90일 이내로 예약하세요.", "At most 90 days ahead.")
    pictures = [images.image_clean(data, field=f"images.{i}", shape=images.POST) for i, data in enumerate(files)]
    segment_key = audiences.segment_clean(segment)
    members = (
        audiences.segment_members(actor=actor, channel_id=channel.public_id, segment=segment_key) if segment_key else []
    )
    when = scheduled_at or now
    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            channel=channel,
            author=actor,
            text=body,
            is_advertising=is_advertising,
            cards=clean_cards,
            segment=segment_key,
            scheduled_at=when,
            next_run_at=when,
        )
        BroadcastTarget.objects.bulk_create(
            (BroadcastTarget(broadcast=broadcast, user_id=pk) for pk in members), batch_size=1000
        )
        BroadcastImage.objects.bulk_create(
            BroadcastImage(broadcast=broadcast, data=data, content_type=kind, position=i)
            for i, (data, kind) in enumerate(pictures)
        )
    if when <= now:
        broadcast_deliver(broadcast_id=broadcast.pk, now=now)
        broadcast.refresh_from_db()
    return broadcast


def access_broadcast(*, actor: Any, broadcast_id: Any, roles: tuple[str, ...] = EDITORS) -> Broadcast:
    """A broadcast of a channel the actor is staff of; one 404 for "missing" and "not staff"."""
    try:
        uid = broadcast_id if isinstance(broadcast_id, UUID) else UUID(str(broadcast_id))
    except ValueError:
        raise not_found("broadcast") from None
    broadcast = Broadcast.objects.select_related("channel").filter(public_id=uid).first()
    if broadcast is None:
        raise not_found("broadcast")
    access_channel_staff(actor=actor, channel_id=broadcast.channel.public_id, roles=roles)
    return broadcast


def broadcast_image_add(*, actor: Any, broadcast_id: Any, data: bytes) -> BroadcastImage:
    """Add an image to a post that hasn't gone out yet (owner or manager), up to MAX_IMAGES."""
    picture, kind = images.image_clean(data, field="image", shape=images.POST)
    with transaction.atomic():
        broadcast = access_broadcast(actor=actor, broadcast_id=broadcast_id)
        broadcast = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
        if broadcast.status != Broadcast.Status.SCHEDULED:
            raise Problem(
                code="broadcast_not_editable",
                status=409,
                ko="이미 발송되었거나 취소된 소식은 고칠 수 없습니다.",
                en="A post that went out or was cancelled can't be changed.",
            )
        count = broadcast.images.count()
        if count >= MAX_IMAGES:
            raise _bad(
                "image", "too_many_images", f"이미지는 {MAX_IMAGES}장까지입니다.", f"At most {MAX_IMAGES} images."
            )
        return BroadcastImage.objects.create(broadcast=broadcast, data=picture, content_type=kind, position=count)


def broadcast_cancel(*, actor: Any, broadcast_id: Any) -> Broadcast:
    """Cancel a scheduled post, or the 08:00 remainder of one that went out at night."""
    with transaction.atomic():
        broadcast = access_broadcast(actor=actor, broadcast_id=broadcast_id)
        broadcast = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
        if broadcast.status not in (Broadcast.Status.SCHEDULED, Broadcast.Status.WAITING):
            raise Problem(
                code="broadcast_not_cancellable",
                status=409,
                ko="이미 발송되었거나 취소된 소식입니다.",
                en="This broadcast was already sent or cancelled.",
            )
        broadcast.status, broadcast.next_run_at = Broadcast.Status.CANCELLED, None
        broadcast.save(update_fields=["status", "next_run_at", "updated_at"])
    return broadcast


def _audience(broadcast: Broadcast, *, night: bool) -> Q:
    audience = Q(channel_id=broadcast.channel_id)
    if broadcast.segment:
        audience &= Q(user_id__in=BroadcastTarget.objects.filter(broadcast_id=broadcast.pk).values("user_id"))
    if broadcast.is_advertising:
        audience &= Q(marketing_consent_at__isnull=False)
        if night:
            audience &= Q(night_consent_at__isnull=False)
    return audience


def _insert_deliveries(broadcast: Broadcast, audience: Q, now: datetime) -> int:
    """INSERT … SELECT the eligible followers not yet delivered; returns how many rows went in."""
    delivered = Delivery.objects.filter(broadcast_id=broadcast.pk).values("user_id")
    select = Follow.objects.filter(audience).exclude(user_id__in=delivered).values_list("user_id", flat=True)
    sql, params = select.query.sql_with_params()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    statement = (
        f"INSERT INTO {table} (broadcast_id, user_id, delivered_at) "  # noqa: S608 (names from the model, values bound)
        f"SELECT %s, eligible.user_id, %s FROM ({sql}) AS eligible WHERE true "
        "ON CONFLICT (broadcast_id, user_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [broadcast.pk, stamp, *params])
        return max(cursor.rowcount, 0)


def broadcast_deliver(*, broadcast_id: int, now: datetime | None = None) -> int:
    """Deliver a due broadcast to whoever may get it now; returns the new deliveries. Safe to re-run."""
    now = now or timezone.now()
    with transaction.atomic():
        query = Broadcast.objects.filter(pk=broadcast_id)
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True)
        broadcast = query.select_related("channel").first()
        due = (Broadcast.Status.SCHEDULED, Broadcast.Status.WAITING)
        if broadcast is None or broadcast.status not in due or broadcast.scheduled_at > now:
            return 0
        night = broadcast.is_advertising and is_night(now)
        count = _insert_deliveries(broadcast, _audience(broadcast, night=night), now)
        if night:
            broadcast.status, broadcast.next_run_at = Broadcast.Status.WAITING, night_ends_after(now)
        else:
            broadcast.status, broadcast.next_run_at, broadcast.sent_at = Broadcast.Status.SENT, None, now
        broadcast.first_sent_at = broadcast.first_sent_at or now
        broadcast.delivered_count = F("delivered_count") + count
        broadcast.save(
            update_fields=["status", "next_run_at", "sent_at", "first_sent_at", "delivered_count", "updated_at"]
        )
        if count:
            event_emit(
                name="partners.broadcast.delivered",
                payload={
                    "broadcast_id": str(broadcast.public_id),
                    "channel_id": str(broadcast.channel.public_id),
                    "delivered": count,
                    "advertising": broadcast.is_advertising,
                    "at": now.isoformat(),
                },
            )
    return count


def broadcasts_send_due(*, now: datetime | None = None, limit: int | None = None) -> int:
    """The periodic job: deliver every broadcast whose time has come. Returns deliveries made."""
    now = now or timezone.now()
    due = Broadcast.objects.filter(
        status__in=(Broadcast.Status.SCHEDULED, Broadcast.Status.WAITING), next_run_at__lte=now
    ).order_by("next_run_at")
    ids = list(due.values_list("pk", flat=True)[: limit or settings.PARTNERS_BROADCASTS_PER_RUN])
    return sum(broadcast_deliver(broadcast_id=pk, now=now) for pk in ids)


def _track(*, user: Any, broadcast: Broadcast, field: str, counter: str, event: str, now: datetime) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    with transaction.atomic():
        first = Delivery.objects.filter(broadcast=broadcast, user=user, **{f"{field}__isnull": True}).update(
            **{field: now}
        )
        if not first:
            return False
        Broadcast.objects.filter(pk=broadcast.pk).update(**{counter: F(counter) + 1})
        event_emit(
            name=event,
            payload={
                "broadcast_id": str(broadcast.public_id),
                "channel_id": str(broadcast.channel.public_id),
                "user_id": str(user.public_id),
                "at": now.isoformat(),
            },
        )
    return True


def broadcast_opened(*, user: Any, broadcast: Broadcast, now: datetime | None = None) -> bool:
    """A recipient viewed the post: counted once per recipient; non-recipients aren't counted."""
    return _track(
        user=user,
        broadcast=broadcast,
        field="opened_at",
        counter="open_count",
        event="partners.broadcast.opened",
        now=now or timezone.now(),
    )


def broadcast_clicked(*, user: Any, broadcast: Broadcast, index: int, now: datetime | None = None) -> str:
    """A recipient followed a card's tracked link: counted once per recipient (and as an open).
    Returns the card's url to redirect to."""
    if not 0 <= index < len(broadcast.cards):
        raise not_found("card")
    now = now or timezone.now()
    broadcast_opened(user=user, broadcast=broadcast, now=now)
    _track(
        user=user,
        broadcast=broadcast,
        field="clicked_at",
        counter="click_count",
        event="partners.broadcast.clicked",
        now=now,
    )
    return str(broadcast.cards[index]["url"])
