"""The business_cards app's public operations; other apps (chat, search) import these and selectors."""

from __future__ import annotations

from typing import Any

from sangsaeng.business_cards import sharing
from sangsaeng.business_cards.book import (
    access_entry,
    book_add,
    book_add_signed,
    entry_delete,
    entry_mark_seen,
    entry_update,
)
from sangsaeng.business_cards.cards import access_card, card_create, card_delete, card_update
from sangsaeng.business_cards.company import company_code_confirm, company_code_send


def card_share_payload(*, actor: Any, card_id: Any) -> dict[str, Any]:
    """The message body for sharing one of the actor's cards in a chat: visible fields, badges,
    links and the signed SD-JWT, so the receiving client can show and check it without another call."""
    return sharing.card_share_payload(card=access_card(actor=actor, card_id=card_id))


def card_receive_from_share(*, holder: Any, payload: dict[str, Any]) -> Any:
    """Save a card shared in a chat into the receiver's card book, trusting only its signature."""
    return book_add_signed(holder=holder, sd_jwt=str(payload.get("sd_jwt", "")))


__all__ = [
    "access_card",
    "access_entry",
    "book_add",
    "book_add_signed",
    "card_create",
    "card_delete",
    "card_receive_from_share",
    "card_share_payload",
    "card_update",
    "company_code_confirm",
    "company_code_send",
    "entry_delete",
    "entry_mark_seen",
    "entry_update",
]
