"""Chat: the text messages of the user's conversations, found only by the conversation's members."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sangsaeng.messaging import selectors as messaging
from sangsaeng.search.registry import PRIVATE, Doc


class MessageProvider:
    label = _("대화")
    events = {"messaging_message_changed": lambda payload: [payload.get("message", "")]}

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        for message in messaging.messages_for_search(public_ids=None if ids is None else list(ids)):
            conversation = message.conversation
            members = tuple(m.user_id for m in conversation.members.all() if m.left_at is None)
            sender = str(message.sender) if message.sender is not None else conversation.title
            yield Doc(
                id=str(message.public_id),
                kind="chat",
                title=message.text[:80],
                text=" · ".join(p for p in (message.text, sender, conversation.title) if p),
                owner_id=message.sender_id,
                visibility=PRIVATE,
                audience=members,
                date=message.created_at,
                url=reverse("messaging:conversation", args=[conversation.public_id]) + f"#m{message.seq}",
                extra={"sender": sender, "conversation": str(conversation.public_id)},
            )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return messaging.messages_visible(user=user, public_ids=list(ids)) if user is not None else set()
