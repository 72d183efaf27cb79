"""Where partner data comes from: channel staff (partners) and the domain events of commerce and
partners, turned into insights events by outbox handlers. The other way, the RFM segments of a
channel's consented customers become broadcast audiences in partners.

A partner is a channel; its ref is `channel:<channel public id>`. Shoppers become per-partner
pseudonyms. A signed-in shopper's session is their day on that channel (a pseudonymous hash of the
user, the channel and the KST date), so a visit's product views, cart, checkout and payment count
as one session; an anonymous visitor's session is the hash commerce already made of the session key.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sangsaeng.core.outbox import handles
from sangsaeng.insights import selectors, services
from sangsaeng.insights.access import PartnerSource, partner_source_register
from sangsaeng.insights.models import EventName

PREFIX = "channel"


def ref_for(channel_id: Any) -> str:
    return f"{PREFIX}:{channel_id}"


def _channel_id(ref: str) -> str:
    return ref.split(":", 1)[1]


# -- the partner source: channel staff see their channel ------------------------------------------


def _visible_to(user: Any) -> dict[str, str]:
    from sangsaeng.partners import selectors as partners

    return {ref_for(channel.public_id): channel.name for channel, _role in partners.channels_for_staff(user)}


def _name_of(ref: str) -> str | None:
    from sangsaeng.core.errors import Problem
    from sangsaeng.partners import selectors as partners

    try:
        return str(partners.channel_get(channel_id=_channel_id(ref)).name)
    except Problem:
        return None


def _recipients(ref: str) -> list[str]:
    from sangsaeng.core.errors import Problem
    from sangsaeng.partners import selectors as partners

    try:
        channel = partners.channel_get(channel_id=_channel_id(ref))
    except Problem:
        return []
    return sorted({s.user.email for s in partners.staff_list(channel=channel) if s.role in ("owner", "manager")})


def _all_refs() -> list[str]:
    from sangsaeng.partners import selectors as partners

    return [ref_for(pid) for pid in partners.channel_public_ids()]


def register() -> None:
    from sangsaeng.partners import services as partners

    partner_source_register(
        PartnerSource(
            prefix=PREFIX, visible_to=_visible_to, name_of=_name_of, recipients=_recipients, all_refs=_all_refs
        )
    )
    partners.audience_provider_register(
        partners.AudienceProvider(name="insights", segments=selectors.SEGMENT_LABELS, members=segment_members)
    )


# -- segments as broadcast audiences ---------------------------------------------------------------


def segment_members(actor: Any, channel_id: Any, segment: str) -> list[int]:
    """Ids of the channel's consented customers in an RFM segment, read with the actor's own access
    to that channel's data (so staff of one channel never reach another's customers)."""
    return [user.pk for user in selectors.segment_users(actor=actor, ref=ref_for(channel_id), segment=segment)]


def broadcast_url(ref: str, segment: str) -> str | None:
    """The channel console's broadcast form with `segment` chosen, for a channel partner."""
    if not ref.startswith(f"{PREFIX}:"):
        return None
    return reverse("partners_console:broadcasts", args=[_channel_id(ref)]) + "?" + urlencode({"segment": segment})


# -- events ------------------------------------------------------------------------------------------


def _user(user_id: Any) -> Any:
    if not user_id:
        return None
    from sangsaeng.accounts.selectors import user_get

    return user_get(public_id=user_id)


def _when(payload: dict[str, Any]) -> datetime:
    at = payload.get("at")
    if isinstance(at, str):
        try:
            parsed = datetime.fromisoformat(at)
            if timezone.is_aware(parsed):
                return parsed
        except ValueError:
            pass
    return timezone.now()


def _who(ref: str, payload: dict[str, Any], at: datetime) -> tuple[str, str]:
    """(subject, session) for the event's shopper."""
    user = _user(payload.get("user_id"))
    if user is not None:
        subject = services.subject_for(partner_ref=ref, user=user)
        day = at.astimezone(services.KST).date().isoformat()
        session = "u_" + hashlib.sha256(f"{settings.SECRET_KEY}:{subject}:{day}".encode()).hexdigest()[:30]
        return subject, session
    anonymous = payload.get("session_id") or ""
    return "", ("k_" + str(anonymous)[:60]) if anonymous else ""


def session_for_page(*, ref: str, user: Any, session_key: str | None) -> str:
    """The id a server-rendered storefront page hands to the beacon (same rule as the events)."""
    if user is not None and getattr(user, "is_authenticated", False):
        return _who(ref, {"user_id": str(user.public_id)}, timezone.now())[1]
    if not session_key:
        return ""
    return "k_" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def _record(name: str, payload: dict[str, Any], *, dedupe: str | None = None, **fields: Any) -> None:
    ref = ref_for(payload["channel_id"])
    at = _when(payload)
    subject, session = _who(ref, payload, at)
    services.events_record(
        [
            services.EventIn(
                name=name,
                partner_ref=ref,
                occurred_at=at,
                subject=subject,
                session_id=session,
                dedupe_key=dedupe,
                **fields,
            )
        ]
    )


@handles("commerce.product_viewed")
def product_viewed(payload: dict[str, Any]) -> None:
    _record(EventName.PRODUCT_VIEW, payload, product_ref=str(payload.get("product_id", ""))[:64])


@handles("commerce.cart_added")
def cart_added(payload: dict[str, Any]) -> None:
    _record(
        EventName.CART_ADD,
        payload,
        product_ref=str(payload.get("product_id", ""))[:64],
        quantity=int(payload.get("quantity") or 0),
        gross=int(payload.get("amount") or 0),
    )


@handles("commerce.checkout_started")
def checkout_started(payload: dict[str, Any]) -> None:
    _record(EventName.CHECKOUT_START, payload, order_ref=str(payload.get("order_ref", "")))


@handles("commerce.order_paid")
def order_paid(payload: dict[str, Any]) -> None:
    """The order, and one line event per product for top products."""
    order = str(payload["order_ref"])
    total, discount, shipping = (int(payload.get(k) or 0) for k in ("amount", "discount", "shipping_fee"))
    _record(
        EventName.ORDER_PAID,
        payload,
        dedupe=f"paid:{order}",
        order_ref=order,
        gross=total + discount - shipping,
        discount=discount,
        shipping=shipping,
    )
    for i, line in enumerate(payload.get("lines") or []):
        _record(
            EventName.ORDER_LINE,
            payload,
            dedupe=f"line:{order}:{i}",
            order_ref=order,
            product_ref=str(line.get("product_id", ""))[:64],
            label=str(line.get("title", ""))[:200],
            quantity=int(line.get("quantity") or 0),
            gross=int(line.get("amount") or 0),
        )


@handles("commerce.order_refunded")
def order_refunded(payload: dict[str, Any]) -> None:
    order = str(payload["order_ref"])
    _record(
        EventName.ORDER_REFUNDED,
        payload,
        dedupe=f"refund:{order}:{payload.get('refunded_total')}",
        order_ref=order,
        refund=int(payload.get("amount") or 0),
    )


@handles("partners.broadcast.delivered")
def broadcast_delivered(payload: dict[str, Any]) -> None:
    _record(
        EventName.BROADCAST_DELIVERED,
        payload,
        broadcast_ref=str(payload["broadcast_id"]),
        label=str(payload.get("title", ""))[:200],
        quantity=int(payload.get("delivered") or 0),
    )


@handles("partners.broadcast.opened")
def broadcast_opened(payload: dict[str, Any]) -> None:
    _record(EventName.BROADCAST_OPENED, payload, broadcast_ref=str(payload["broadcast_id"]))


@handles("partners.broadcast.clicked")
def broadcast_clicked(payload: dict[str, Any]) -> None:
    _record(EventName.BROADCAST_CLICKED, payload, broadcast_ref=str(payload["broadcast_id"]))


@handles("partners.channel.followed")
def followed(payload: dict[str, Any]) -> None:
    _record(EventName.FOLLOW, payload)


@handles("partners.channel.unfollowed")
def unfollowed(payload: dict[str, Any]) -> None:
    _record(EventName.UNFOLLOW, payload)
