"""A conversation's change stream: what a reconnecting client replays so that it loses nothing.

Every change to a conversation's messages (one posted, edited, deleted for everyone, a reaction
added or removed) takes the next number of the conversation's counter `Conversation.last_ev`, in
the transaction that makes it and under the same row lock as `seq`: event numbers are unique,
gapless and committed in order. A message keeps the event that created it (`created_ev`) and the
one that last changed it (`ev`, its version). Live frames carry their event number.

A client that comes back says which event it saw last and gets, from the database, in event order:
- every message created since, as it is now (a `message` frame at its `created_ev`: seq order);
- every older message changed since, as it is now (a `message_updated` frame at its `ev`).
A message changed several times while the client was away comes once, in its final state, so the
replay holds no duplicates and leaves the client where the live stream would have.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, Q, When

from sangsaeng.messaging import delivery
from sangsaeng.messaging.models import Conversation, Message
from sangsaeng.messaging.serialize import MESSAGE_PREFETCH, MESSAGE_RELATED, message_dict


def message_load(pk: int) -> Message:
    return Message.objects.select_related(*MESSAGE_RELATED).prefetch_related(*MESSAGE_PREFETCH).get(pk=pk)


def ev_next(conversation_pk: int) -> int:
    """Take the conversation's next event number. Call inside the transaction making the change:
    the UPDATE holds the conversation's row lock until it commits, so numbers commit in order."""
    Conversation.objects.filter(pk=conversation_pk).update(last_ev=F("last_ev") + 1)
    return int(Conversation.objects.filter(pk=conversation_pk).values_list("last_ev", flat=True).get())


def message_changed(message: Message) -> Message:
    """Record a change to an existing message (edit, delete, reaction) as the conversation's next
    event and announce it to open sockets after the commit. Call inside the changing transaction."""
    ev = ev_next(message.conversation_id)
    Message.objects.filter(pk=message.pk).update(ev=ev)
    fresh = message_load(message.pk)
    delivery.broadcast(
        conversation_public_id=fresh.conversation.public_id, event="message_updated", data=message_dict(fresh), ev=ev
    )
    return fresh


def changes_after(
    *, conversation: Conversation, after: int, upto: int | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """The frames that bring a client from event `after` to `upto` (or to now), in event order:
    `{"type": "message" | "message_updated", "ev": <position>, "message": {...}}`. The caller has
    checked membership. A frame's `message.ev` may pass its position: the message changed again
    since, and the frame already shows it."""
    if upto is None:
        window = Q(ev__gt=after)
    else:
        window = Q(created_ev__gt=after, created_ev__lte=upto) | Q(created_ev__lte=after, ev__gt=after, ev__lte=upto)
    rows = (
        Message.objects.filter(window, conversation=conversation)
        .annotate(position=Case(When(created_ev__gt=after, then=F("created_ev")), default=F("ev")))
        .select_related(*MESSAGE_RELATED)
        .prefetch_related(*MESSAGE_PREFETCH)
        .order_by("position")[:limit]
    )
    return [
        {
            "type": "message" if row.created_ev > after else "message_updated",
            "ev": row.position,  # type: ignore[attr-defined]
            "message": message_dict(row),
        }
        for row in rows
    ]


def ev_of_seq(*, conversation: Conversation, seq: int) -> int:
    """The event that created message `seq`: where a client that only knows its last seq resumes.
    Changes it saw live after that message come again (at most once each)."""
    if seq <= 0:
        return 0
    created = Message.objects.filter(conversation=conversation, seq=seq).values_list("created_ev", flat=True).first()
    return int(created) if created is not None else conversation.last_ev
