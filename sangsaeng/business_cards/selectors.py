"""Reads of business cards for pages and other apps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from sangsaeng.business_cards.book import book_list, entry_updated, shared_card_get
from sangsaeng.business_cards.cards import badges
from sangsaeng.business_cards.models import Card, CardBookEntry
from sangsaeng.business_cards.sharing import visible


def card_list(*, owner: Any) -> list[Card]:
    return list(Card.objects.filter(owner=owner))


__all__ = [
    "badges",
    "book_entries_for_search",
    "book_entries_held",
    "book_list",
    "card_list",
    "cards_for_search",
    "cards_owned",
    "entry_updated",
    "shared_card_get",
    "visible",
]


def _uuids(ids: Iterable[str]) -> list[UUID]:
    out = []
    for value in ids:
        try:
            out.append(UUID(str(value)))
        except ValueError:
            continue
    return out


def book_entries_for_search(*, public_ids: Iterable[str] | None = None) -> Iterator[CardBookEntry]:
    """Card-book entries with their cards, for the search index; every entry when None."""
    query = CardBookEntry.objects.select_related("card", "holder")
    if public_ids is not None:
        query = query.filter(public_id__in=_uuids(public_ids))
    yield from query.order_by("id").iterator(chunk_size=500)


def book_entries_held(*, holder: Any, public_ids: Iterable[str]) -> set[str]:
    query = CardBookEntry.objects.filter(holder=holder, public_id__in=_uuids(public_ids))
    return {str(i) for i in query.values_list("public_id", flat=True)}


def cards_for_search(*, public_ids: Iterable[str] | None = None) -> Iterator[Card]:
    query = Card.objects.select_related("owner")
    if public_ids is not None:
        query = query.filter(public_id__in=_uuids(public_ids))
    yield from query.order_by("id").iterator(chunk_size=500)


def cards_owned(*, owner: Any, public_ids: Iterable[str]) -> set[str]:
    query = Card.objects.filter(owner=owner, public_id__in=_uuids(public_ids))
    return {str(i) for i in query.values_list("public_id", flat=True)}
