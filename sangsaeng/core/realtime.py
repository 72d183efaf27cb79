"""Real-time fan-out to a user's open pages over WebSockets (Channels groups)."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def user_group(user_public_id: object) -> str:
    return f"user.{user_public_id}"


def notify_user(*, user_public_id: object, event: str, data: dict[str, Any]) -> None:
    """Push an event to every open connection of one user. Best effort: no connection, no error."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(user_group(user_public_id), {"type": "notify", "event": event, "data": data})
