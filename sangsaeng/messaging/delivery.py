"""Fan-out of chat events to open WebSockets through the channel layer, after the commit.

Every conversation has a group `chat.<id>`; each socket of a member joins it. Changes to messages
carry their event number (events.py), so a socket can drop what it already delivered and fetch any
gap from the database (see consumers.py): the channel layer may be best effort, the conversation's
order is not.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def conversation_group(conversation_public_id: object) -> str:
    return f"chat.{conversation_public_id}"


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        log.exception("chat fan-out to %s failed", group)


def broadcast(*, conversation_public_id: object, event: str, data: dict[str, Any], ev: int | None = None) -> None:
    """Send one event to every open socket of the conversation once the transaction commits.
    `ev` is the change's event number (events.py); typing and read receipts have none."""
    group = conversation_group(conversation_public_id)
    message: dict[str, Any] = {"type": "chat.event", "event": event, "data": data}
    if ev is not None:
        message["ev"] = ev
    transaction.on_commit(lambda: _send(group, message))


def chat_user_group(user_public_id: object) -> str:
    """A user's chat sockets (not core's `user.<id>`, whose consumer knows no chat events)."""
    return f"chatuser.{user_public_id}"


def user_joined(*, user_public_id: object, conversation_public_id: object) -> None:
    """Tell a user's open chat sockets to subscribe to a conversation they were just added to."""
    data = {"conversation": str(conversation_public_id)}
    transaction.on_commit(lambda: _send(chat_user_group(user_public_id), {"type": "chat.joined", "data": data}))


def user_left(*, user_public_id: object, conversation_public_id: object) -> None:
    data = {"conversation": str(conversation_public_id)}
    transaction.on_commit(lambda: _send(chat_user_group(user_public_id), {"type": "chat.left", "data": data}))
