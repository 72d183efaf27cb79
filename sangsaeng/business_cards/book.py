"""The card book: cards a person received, with notes and tags, always showing the owner's latest."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.business_cards.changes import entry_changed
from sangsaeng.business_cards.models import Card, CardBookEntry
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.identity import services as identity_services

MAX_TAGS = 10


def shared_card_get(*, card_id: Any) -> Card:
    """A card by its public link id (what a QR or a link carries)."""
    card = Card.objects.select_related("owner").filter(public_id=card_id).first()
    if card is None:
        raise not_found("card")
    return card


def book_add(*, holder: Any, card_id: Any) -> CardBookEntry:
    """Save a received card; saving it twice keeps the one entry."""
    card = shared_card_get(card_id=card_id)
    if card.owner_id == holder.pk:
        raise Problem(
            code="own_card",
            status=409,
            ko="내 명함은 명함첩에 넣을 수 없습니다.",
            en="Your own card can't go into your card book.",
        )
    try:
        with transaction.atomic():
            entry = CardBookEntry.objects.create(holder=holder, card=card, seen_at=timezone.now())
            entry_changed(entry, holder)
            return entry
    except IntegrityError:
        return CardBookEntry.objects.get(holder=holder, card=card)


def book_add_signed(*, holder: Any, sd_jwt: str) -> CardBookEntry:
    """Save a card received as a signed SD-JWT, after checking its signature and disclosures."""
    claims = identity_services.signed_card_verify(sd_jwt=sd_jwt)
    subject = str(claims.get("sub", ""))
    if not subject.startswith("urn:uuid:"):
        raise Problem(
            code="malformed",
            status=422,
            field="sd_jwt",
            ko="명함 식별자가 없습니다.",
            en="The signed card names no card.",
        )
    return book_add(holder=holder, card_id=subject.removeprefix("urn:uuid:"))


def access_entry(*, actor: Any, entry_id: Any) -> CardBookEntry:
    entry = CardBookEntry.objects.select_related("card", "card__owner").filter(holder=actor, public_id=entry_id).first()
    if entry is None:
        raise not_found("card book entry")
    return entry


def _tags(tags: list[str]) -> list[str]:
    clean = list(dict.fromkeys(" ".join(str(t).split())[:30] for t in tags if str(t).strip()))
    if len(clean) > MAX_TAGS:
        raise Problem(
            code="too_many_tags",
            status=422,
            field="tags",
            ko=f"태그는 {MAX_TAGS}개까지입니다.",
            en=f"At most {MAX_TAGS} tags.",
        )
    return clean


def entry_update(*, actor: Any, entry_id: Any, note: str | None = None, tags: list[str] | None = None) -> CardBookEntry:
    entry = access_entry(actor=actor, entry_id=entry_id)
    fields = ["updated_at"]
    if note is not None:
        if len(note) > 2000:
            raise Problem(
                code="invalid_field",
                status=422,
                field="note",
                ko="메모는 2000자까지입니다.",
                en="A note is at most 2000 characters.",
            )
        entry.note = note
        fields.append("note")
    if tags is not None:
        entry.tags = _tags(tags)
        fields.append("tags")
    with transaction.atomic():
        entry.save(update_fields=fields)
        entry_changed(entry, actor)
    return entry


def entry_mark_seen(*, actor: Any, entry_id: Any) -> CardBookEntry:
    entry = access_entry(actor=actor, entry_id=entry_id)
    entry.seen_at = timezone.now()
    entry.save(update_fields=["seen_at"])
    return entry


def entry_delete(*, actor: Any, entry_id: Any) -> None:
    entry = access_entry(actor=actor, entry_id=entry_id)
    with transaction.atomic():
        entry_changed(entry, actor)
        entry.delete()


def book_list(*, holder: Any, query: str = "", tag: str = "") -> list[CardBookEntry]:
    """Entries whose visible card fields, note or tags contain `query`; newest first.

    Filtered in Python because only the fields the owner shows may match (a hidden phone number must
    not be findable), and a person's card book is small.
    """
    entries = CardBookEntry.objects.filter(holder=holder).select_related("card", "card__owner")
    result = []
    needle = query.strip().lower()
    for entry in entries:
        if tag and tag not in entry.tags:
            continue
        if needle:
            card = entry.card
            shown = [card.name] + [str(getattr(card, f)) for f in card.visible_fields if f not in {"photo"}]
            haystack = " ".join([*shown, entry.note, *entry.tags]).lower()
            if needle not in haystack:
                continue
        result.append(entry)
    return result


def entry_updated(entry: CardBookEntry) -> bool:
    """The owner changed the card since the holder last looked."""
    return entry.card.updated_at > entry.seen_at
