"""Business cards: the cards in the user's card book (as the holder sees them: only the fields the
card's owner shows, plus the holder's note and tags) and the user's own cards."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sangsaeng.business_cards import selectors as cards
from sangsaeng.search.registry import PRIVATE, Doc

BOOK, OWN = "b:", "c:"


def _shown_text(shown: dict[str, Any]) -> list[str]:
    fields = ("company", "department", "title", "email", "address", "website")
    return [str(shown[f]) for f in fields if shown.get(f)] + [str(p) for p in shown.get("phones", [])]


class CardProvider:
    label = _("명함")
    events = {
        "card_book_entry_changed": lambda payload: [BOOK + payload.get("entry", "")],
        "business_card_changed": lambda payload: [
            OWN + payload.get("card", ""),
            *(BOOK + e for e in payload.get("entries", [])),
        ],
    }

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        book = None if ids is None else [i.removeprefix(BOOK) for i in ids if i.startswith(BOOK)]
        own = None if ids is None else [i.removeprefix(OWN) for i in ids if i.startswith(OWN)]
        if book is None or book:
            for entry in cards.book_entries_for_search(public_ids=book):
                shown = cards.visible(entry.card)
                title = " ".join(p for p in (shown["name"], shown.get("company", ""), shown.get("title", "")) if p)
                yield Doc(
                    id=BOOK + str(entry.public_id),
                    kind="card",
                    title=title,
                    text=" · ".join([*_shown_text(shown), entry.note, *(f"#{t}" for t in entry.tags)]),
                    owner_id=entry.holder_id,
                    visibility=PRIVATE,
                    date=entry.created_at,
                    url=reverse("business_cards:entry", args=[entry.public_id]),
                    extra={"name": shown["name"], "book": True},
                )
        if own is None or own:
            for card in cards.cards_for_search(public_ids=own):
                title = " ".join(p for p in (card.name, card.company, card.title) if p)
                fields = {
                    f: getattr(card, f) for f in ("company", "department", "title", "email", "address", "website")
                }
                yield Doc(
                    id=OWN + str(card.public_id),
                    kind="card",
                    title=title,
                    text=" · ".join(_shown_text({**fields, "phones": card.phones})),
                    owner_id=card.owner_id,
                    visibility=PRIVATE,
                    date=card.created_at,
                    url=reverse("business_cards:edit", args=[card.public_id]),
                    extra={"name": card.name, "book": False},
                )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        if user is None:
            return set()
        book = [i.removeprefix(BOOK) for i in ids if i.startswith(BOOK)]
        own = [i.removeprefix(OWN) for i in ids if i.startswith(OWN)]
        allowed = {BOOK + i for i in cards.book_entries_held(holder=user, public_ids=book)} if book else set()
        if own:
            allowed |= {OWN + i for i in cards.cards_owned(owner=user, public_ids=own)}
        return allowed
