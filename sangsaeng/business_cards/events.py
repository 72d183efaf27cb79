"""What business_cards does when other apps announce something (handlers of outbox events)."""

from __future__ import annotations

from typing import Any

from sangsaeng.business_cards.models import Card, CardBookEntry
from sangsaeng.core.outbox import handles


@handles("account_deleted")
def cards_erase_on_account_deleted(payload: dict[str, Any]) -> None:
    """A deleted account's cards disappear, from other people's card books too, with its own card book."""
    CardBookEntry.objects.filter(holder__public_id=payload["user_id"]).delete()
    Card.objects.filter(owner__public_id=payload["user_id"]).delete()
