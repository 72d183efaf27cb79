"""The one place partners talks to the messaging app: customer chats with a channel.

Keeping every call behind these few functions means the inbox depends on messaging's public
services and selectors only, and on nothing else of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.urls import NoReverseMatch, reverse

from sangsaeng.messaging import selectors as messaging_selectors
from sangsaeng.messaging import services as messaging


def conversation_open(*, customer: Any, channel_id: UUID, channel_name: str, staff: Iterable[Any]) -> UUID:
    """Get or create the customer's conversation with the channel; returns its public id."""
    conversation = messaging.conversation_channel_open(
        customer=customer, channel_id=channel_id, channel_name=channel_name, staff=list(staff)
    )
    return UUID(str(conversation.public_id))


def conversation_staff_set(*, conversation_id: UUID, staff: Iterable[Any]) -> None:
    messaging.conversation_staff_set(conversation_id=conversation_id, staff=list(staff))


def post_from_channel(*, conversation_id: UUID, text: str, card: dict[str, Any] | None = None) -> Any:
    """A message signed by the channel itself (order notifications, automated replies)."""
    return messaging.message_post_from_channel(conversation_id=conversation_id, text=text, card=card)


def post_as_staff(*, actor: Any, conversation_id: UUID, text: str) -> Any:
    """A staff member answers; the customer sees the channel as the sender."""
    return messaging.message_post(actor=actor, conversation_id=conversation_id, kind="text", text=text, as_channel=True)


def messages(*, actor: Any, conversation_id: UUID, limit: int = 50) -> list[Any]:
    return list(messaging_selectors.messages_for(actor=actor, conversation_id=conversation_id, limit=limit))


def conversation_activity(*, actor: Any) -> dict[UUID, datetime]:
    """When each of the actor's conversations last had a message."""
    return {
        UUID(str(c.public_id)): c.last_message_at
        for c in messaging_selectors.conversations_for(actor)
        if c.last_message_at is not None
    }


def conversation_url(conversation_id: UUID) -> str | None:
    """Where the customer reads the chat, or None while the messaging pages aren't installed."""
    try:
        return reverse("messaging:conversation", args=[conversation_id])
    except NoReverseMatch:
        return None
