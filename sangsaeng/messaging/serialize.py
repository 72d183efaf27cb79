"""The one JSON shape of a message, shared by the API, the WebSocket frames and the backup."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from sangsaeng.messaging.cards import card_render
from sangsaeng.messaging.models import Message, MessageMedia


def sender_name(message: Message, channel_title: str = "") -> str:
    if message.sender is None or message.as_channel:
        return channel_title or message.conversation.title
    return message.sender.display_name or message.sender.email.split("@")[0]


def _snippet(message: Message) -> dict[str, Any]:
    return {
        "id": str(message.public_id),
        "seq": message.seq,
        "sender_name": sender_name(message),
        "text": "" if message.deleted_at else message.text[:140],
        "kind": message.kind,
    }


def media_of(message: Message) -> MessageMedia | None:
    """The file the message carries, if any."""
    try:
        return message.media
    except ObjectDoesNotExist:
        return None


def message_dict(message: Message) -> dict[str, Any]:
    deleted = message.deleted_at is not None
    reactions: dict[str, list[str]] = {}
    for reaction in message.reactions.all():
        reactions.setdefault(reaction.emoji, []).append(str(reaction.user.public_id))
    media = None if deleted else media_of(message)
    return {
        "id": str(message.public_id),
        "conversation": str(message.conversation.public_id),
        "seq": message.seq,
        "ev": message.ev,
        "sender": None
        if message.sender is None or message.as_channel
        else {"id": str(message.sender.public_id), "name": sender_name(message)},
        "sender_name": sender_name(message),
        "as_channel": message.as_channel,
        "kind": message.kind,
        "text": "" if deleted else message.text,
        "card": None if deleted else message.card,
        "card_html": "" if deleted else card_render(message.kind, message.card),
        "reply_to": _snippet(message.reply_to) if message.reply_to is not None else None,
        "mentions": message.mentions,
        "reactions": reactions,
        "media": None
        if media is None
        else {
            "name": media.name,
            "content_type": media.content_type,
            "size": media.size,
            "url": reverse("messaging:media", args=[message.public_id]),
        },
        "client_id": message.client_id or None,
        "edited": message.edited_at is not None,
        "deleted": deleted,
        "created_at": message.created_at.isoformat(),
    }


MESSAGE_RELATED = ("conversation", "sender", "media", "reply_to", "reply_to__sender", "reply_to__conversation")
MESSAGE_PREFETCH = ("reactions__user",)
