"""Recording events: server-side from other apps' domain events, and page views from the beacon."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sangsaeng.core.errors import Problem
from sangsaeng.insights.access import partner_name, ref_clean
from sangsaeng.insights.models import BeaconDrop, CustomerConsent, Event, EventName

KST = ZoneInfo("Asia/Seoul")
AMOUNT_LIMIT = 10**12  # won; anything larger is a producer bug, not a sale
_SHORT = ("session_id", "subject", "order_ref", "product_ref", "broadcast_ref")


def subject_for(*, partner_ref: str, user: Any) -> str:
    """A stable per-partner pseudonym: partners can count a returning customer, never name one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    key = hashlib.sha256(f"{settings.SECRET_KEY}:insights-subject".encode()).digest()
    ident = str(getattr(user, "public_id", None) or user.pk)
    return "s_" + hmac.new(key, f"{partner_ref}:{ident}".encode(), hashlib.sha256).hexdigest()[:30]


@dataclass
class EventIn:
    name: str
    partner_ref: str
    occurred_at: datetime | None = None
    session_id: str = ""
    subject: str = ""
    order_ref: str = ""
    product_ref: str = ""
    broadcast_ref: str = ""
    label: str = ""
    path: str = ""
    quantity: int = 0
    gross: int = 0
    discount: int = 0
    shipping: int = 0
    refund: int = 0
    source: str = "server"
    dedupe_key: str | None = None


def _bad(field: str, ko: str, en: str) -> Problem:
    return Problem(code="event_invalid", ko=ko, en=en, field=field)


def _clean(event: EventIn) -> Event:
    if event.name not in EventName.values:
        raise _bad("name", "알 수 없는 이벤트입니다.", f"Unknown event name {event.name!r}.")
    ref_clean(event.partner_ref)
    for field in _SHORT:
        value = getattr(event, field)
        if not isinstance(value, str) or len(value) > 64:
            raise _bad(field, "값이 너무 깁니다.", f"{field} must be a string of at most 64 characters.")
    for field in ("quantity", "gross", "discount", "shipping", "refund"):
        value = getattr(event, field)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= AMOUNT_LIMIT:
            raise _bad(field, "금액이나 수량이 올바르지 않습니다.", f"{field} must be an integer from 0 to 10^12.")
    occurred = event.occurred_at or timezone.now()
    if timezone.is_naive(occurred):
        raise _bad("occurred_at", "시각에 시간대가 없습니다.", "occurred_at needs a time zone.")
    return Event(
        partner_ref=event.partner_ref,
        name=event.name,
        occurred_at=occurred,
        session_id=event.session_id,
        subject=event.subject,
        order_ref=event.order_ref,
        product_ref=event.product_ref,
        broadcast_ref=event.broadcast_ref,
        label=(event.label or "")[:200],
        path=(event.path or "")[:300],
        quantity=event.quantity,
        gross=event.gross,
        discount=event.discount,
        shipping=event.shipping,
        refund=event.refund,
        source=event.source,
        dedupe_key=event.dedupe_key,
    )


def events_record(events: list[EventIn]) -> int:
    """Append events; ones whose dedupe_key is already stored are skipped. Returns how many were new."""
    rows = [_clean(e) for e in events]
    keys = [r.dedupe_key for r in rows if r.dedupe_key]
    seen = set(Event.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)) if keys else set()
    fresh = [r for r in rows if not r.dedupe_key or r.dedupe_key not in seen]
    try:
        with transaction.atomic():
            Event.objects.bulk_create(fresh)
    except IntegrityError:  # a concurrent replay stored some of them first: insert one by one
        stored = 0
        for row in fresh:
            try:
                with transaction.atomic():
                    row.pk = None
                    row.save(force_insert=True)
                    stored += 1
            except IntegrityError:
                continue
        return stored
    return len(fresh)


def event_record(**fields: Any) -> int:
    return events_record([EventIn(**fields)])


def consent_grant(*, partner_ref: str, user: Any) -> CustomerConsent:
    """The shopper lets this partner see who they are (their name and e-mail in Customers)."""
    ref_clean(partner_ref)
    consent, _ = CustomerConsent.objects.get_or_create(
        partner_ref=partner_ref, user=user, defaults={"subject": subject_for(partner_ref=partner_ref, user=user)}
    )
    return consent


def consent_revoke(*, partner_ref: str, user: Any) -> int:
    deleted, _ = CustomerConsent.objects.filter(partner_ref=partner_ref, user=user).delete()
    return deleted


# -- the first-party beacon --------------------------------------------------------------------

BEACON_FIELDS = {"partner", "path", "session", "ts"}
SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class BeaconDropped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def beacon_drop_count(reason: str) -> None:
    day = timezone.now().astimezone(KST).date()
    updated = BeaconDrop.objects.filter(day=day, reason=reason).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                BeaconDrop.objects.create(day=day, reason=reason, count=1)
        except IntegrityError:
            BeaconDrop.objects.filter(day=day, reason=reason).update(count=F("count") + 1)


def _beacon_event(data: Any) -> EventIn:
    if not isinstance(data, dict):
        raise BeaconDropped("not_object")
    if set(data) - BEACON_FIELDS:
        raise BeaconDropped("unknown_field")
    partner, path, session = data.get("partner"), data.get("path", "/"), data.get("session", "")
    if not isinstance(partner, str) or not isinstance(path, str) or not isinstance(session, str):
        raise BeaconDropped("wrong_type")
    try:
        ref_clean(partner)
    except Problem:
        raise BeaconDropped("bad_partner") from None
    if not path.startswith("/") or len(path) > 300 or any(ord(c) < 32 for c in path):
        raise BeaconDropped("bad_path")
    if not SESSION.match(session):
        raise BeaconDropped("bad_session")
    if partner_name(partner) is None:
        raise BeaconDropped("unknown_partner")
    occurred = timezone.now()
    ts = data.get("ts")
    if ts is not None:
        if not isinstance(ts, int | float) or isinstance(ts, bool):
            raise BeaconDropped("wrong_type")
        sent = datetime.fromtimestamp(ts / 1000, tz=KST) if ts > 1e11 else None
        # a page view is when the page was shown, within reason: clocks on phones drift
        if sent is None or abs((occurred - sent).total_seconds()) > 600:
            raise BeaconDropped("bad_time")
        occurred = sent
    return EventIn(
        name=EventName.PAGE_VIEW,
        partner_ref=partner,
        occurred_at=occurred,
        session_id=session,
        path=path,
        source="beacon",
    )


def beacon_ingest(data: Any) -> None:
    """Store one page view, or count the beacon as dropped and raise BeaconDropped."""
    try:
        event = _beacon_event(data)
    except BeaconDropped as dropped:
        beacon_drop_count(dropped.reason)
        raise
    events_record([event])


def kst_day_bounds(day_from: Any, day_to: Any) -> tuple[datetime, datetime]:
    start = datetime.combine(day_from, datetime.min.time(), tzinfo=KST)
    end = datetime.combine(day_to, datetime.min.time(), tzinfo=KST) + timedelta(days=1)
    return start, end
