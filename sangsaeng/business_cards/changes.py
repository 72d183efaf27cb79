"""Domain events for what other apps keep copies of (the search index): a card, or an entry of a
card book, changed or was deleted. Emitted in the caller's transaction; handlers re-read."""

from __future__ import annotations

from typing import Any

from sangsaeng.business_cards.models import Card, CardBookEntry
from sangsaeng.core.outbox import event_emit


def card_changed(card: Card) -> None:
    """The card and every card-book entry that shows it (their holders see the new fields)."""
    entries = [str(i) for i in CardBookEntry.objects.filter(card=card).values_list("public_id", flat=True)]
    event_emit(name="business_card_changed", payload={"card": str(card.public_id), "entries": entries})


def entry_changed(entry: CardBookEntry, holder: Any) -> None:
    event_emit(name="card_book_entry_changed", payload={"entry": str(entry.public_id), "holder": str(holder.public_id)})
