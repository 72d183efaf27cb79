"""Reads of business cards for pages and other apps."""

from __future__ import annotations

from typing import Any

from sangsaeng.business_cards.book import book_list, entry_updated, shared_card_get
from sangsaeng.business_cards.cards import badges
from sangsaeng.business_cards.models import Card
from sangsaeng.business_cards.sharing import visible


def card_list(*, owner: Any) -> list[Card]:
    return list(Card.objects.filter(owner=owner))


__all__ = ["badges", "book_list", "card_list", "entry_updated", "shared_card_get", "visible"]
