"""Reads of chat for pages, the API, the WebSocket consumer and other apps."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import F, QuerySet

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem
from sangsaeng.messaging.access import access_member, as_uuid
from sangsaeng.messaging.events import changes_after, ev_of_seq
from sangsaeng.messaging.models import ArchivedMessage, Block, Conversation, Link, Member, Message, Report
from sangsaeng.messaging.serialize import MESSAGE_PREFETCH, MESSAGE_RELATED

PAGE_MAX = 200


def display_title(conversation: Conversation, viewer: User, members: list[Member] | None = None) -> str:
    """What the viewer calls the conversation: the other person, the channel, or the group's title."""
    if conversation.kind == Conversation.Kind.GROUP:
        return conversation.title
    members = members if members is not None else list(conversation.members.select_related("user"))
    if conversation.kind == Conversation.Kind.CHANNEL:
        if conversation.channel_customer_id == viewer.pk:
            return conversation.title
        customer = next((m.user for m in members if m.user_id == conversation.channel_customer_id), None)
        return f"{customer} · {conversation.title}" if customer is not None else conversation.title
    other = next((m.user for m in members if m.user_id != viewer.pk), None)
    return str(other) if other is not None else conversation.title


def conversations_for(user: User) -> list[Any]:
    """The user's conversations, most recent first. Each carries `unread`, `my_role`,
    `my_last_read_seq` and `display_title` for this user."""
    rows = list(
        Conversation.objects.filter(members__user=user, members__left_at__isnull=True)
        .annotate(my_last_read_seq=F("members__last_read_seq"), my_role=F("members__role"))
        .prefetch_related("members__user")
        .order_by(F("last_message_at").desc(nulls_last=True), "-created_at")
    )
    for conversation in rows:
        members = [m for m in conversation.members.all() if m.left_at is None]
        conversation.unread = max(0, conversation.last_seq - conversation.my_last_read_seq)  # type: ignore[attr-defined]
        conversation.display_title = display_title(conversation, user, members)  # type: ignore[attr-defined]
        conversation.active_members = members  # type: ignore[attr-defined]
    return rows


def conversation_ids_for(user: User) -> list[str]:
    return [
        str(u)
        for u in Member.objects.filter(user=user, left_at__isnull=True).values_list(
            "conversation__public_id", flat=True
        )
    ]


def _bad_limit() -> Problem:
    return Problem(
        code="invalid_field",
        status=422,
        ko=f"limit은 1~{PAGE_MAX}입니다.",
        en=f"limit must be 1-{PAGE_MAX}.",
        field="limit",
    )


def messages_for(
    *,
    actor: User,
    conversation_id: UUID | str,
    after_seq: int | None = None,
    before_seq: int | None = None,
    limit: int = 50,
) -> list[Message]:
    """A page of history in seq order: after `after_seq` (catching up), before `before_seq`
    (scrolling back), or the latest `limit`."""
    if not 1 <= limit <= PAGE_MAX:
        raise _bad_limit()
    member = access_member(actor=actor, conversation_id=conversation_id)
    query: QuerySet[Message] = (
        Message.objects.filter(conversation=member.conversation)
        .select_related(*MESSAGE_RELATED)
        .prefetch_related(*MESSAGE_PREFETCH)
    )
    if after_seq is not None:
        return list(query.filter(seq__gt=after_seq).order_by("seq")[:limit])
    if before_seq is not None:
        query = query.filter(seq__lt=before_seq)
    return list(reversed(query.order_by("-seq")[:limit]))


def message_get(*, actor: User, message_id: UUID | str) -> Message:
    from sangsaeng.messaging.access import access_message

    message, _member = access_message(actor=actor, message_id=message_id)
    return Message.objects.select_related(*MESSAGE_RELATED).prefetch_related(*MESSAGE_PREFETCH).get(pk=message.pk)


def members_of(*, actor: User, conversation_id: UUID | str) -> list[Member]:
    member = access_member(actor=actor, conversation_id=conversation_id)
    return list(
        Member.objects.filter(conversation=member.conversation, left_at__isnull=True)
        .select_related("user")
        .order_by("created_at")
    )


def blocks_of(*, user: User) -> list[Block]:
    return list(Block.objects.filter(blocker=user).select_related("blocked").order_by("-created_at"))


def links_of(*, user: User, limit: int = 200) -> list[Link]:
    return list(
        Link.objects.filter(owner=user, message__deleted_at__isnull=True)
        .select_related("message", "message__conversation", "message__sender")
        .order_by("-created_at")[:limit]
    )


def reports_open(*, actor: User) -> list[Report]:
    """The operators' queue; anyone else sees nothing."""
    if not actor.is_staff:
        return []
    return list(
        Report.objects.filter(status=Report.Status.OPEN)
        .select_related("message", "message__sender", "message__conversation", "reporter")
        .order_by("created_at")[:500]
    )


def archive_of(*, user: User) -> list[ArchivedMessage]:
    return list(ArchivedMessage.objects.filter(owner=user).order_by("conversation_title", "conversation_id", "seq"))


def unread_total(*, user: User) -> int:
    return sum(
        max(0, last - read)
        for last, read in Member.objects.filter(user=user, left_at__isnull=True).values_list(
            "conversation__last_seq", "last_read_seq"
        )
    )


def messages_for_search(*, public_ids: list[str] | None = None) -> QuerySet[Message]:
    """Text messages that are not deleted, with their conversation and its members (the search index)."""
    query = Message.objects.filter(kind="text", deleted_at__isnull=True).exclude(text="")
    if public_ids is not None:
        query = query.filter(public_id__in=[u for u in map(as_uuid, public_ids) if u is not None])
    return query.select_related("conversation", "sender").prefetch_related("conversation__members").order_by("pk")


def messages_visible(*, user: User, public_ids: list[str]) -> set[str]:
    """The ids among these of messages in conversations the user is a member of now."""
    if not getattr(user, "is_authenticated", False):
        return set()
    uuids = [u for u in map(as_uuid, public_ids) if u is not None]
    rows = Message.objects.filter(
        public_id__in=uuids,
        deleted_at__isnull=True,
        conversation__members__user=user,
        conversation__members__left_at__isnull=True,
    ).values_list("public_id", flat=True)
    return {str(u) for u in rows}


__all__: list[Any] = [
    "archive_of",
    "blocks_of",
    "changes_after",
    "conversation_ids_for",
    "conversations_for",
    "display_title",
    "ev_of_seq",
    "links_of",
    "members_of",
    "message_get",
    "messages_for",
    "messages_for_search",
    "messages_visible",
    "reports_open",
    "unread_total",
]
