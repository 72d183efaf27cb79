"""Guards: a conversation or message is reachable only by its current members (one 404 otherwise)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.messaging.models import Conversation, Member, Message


def as_uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def uuid_or_404(value: Any, thing: str) -> UUID:
    public_id = as_uuid(value)
    if public_id is None:
        raise not_found(thing)
    return public_id


def access_member(*, actor: Any, conversation_id: Any) -> Member:
    """The actor's live membership of the conversation, or 404 for "missing" and "not yours" alike."""
    public_id = as_uuid(conversation_id)
    if public_id is None or actor is None or not getattr(actor, "is_authenticated", False):
        raise not_found("conversation")
    member = (
        Member.objects.select_related("conversation")
        .filter(conversation__public_id=public_id, user=actor, left_at__isnull=True)
        .first()
    )
    if member is None:
        raise not_found("conversation")
    return member


def access_conversation(*, actor: Any, conversation_id: Any) -> Conversation:
    return access_member(actor=actor, conversation_id=conversation_id).conversation


def access_message(*, actor: Any, message_id: Any) -> tuple[Message, Member]:
    public_id = as_uuid(message_id)
    if public_id is None:
        raise not_found("message")
    message = Message.objects.select_related("conversation", "sender").filter(public_id=public_id).first()
    if message is None:
        raise not_found("message")
    member = Member.objects.filter(conversation=message.conversation, user=actor, left_at__isnull=True).first()
    if member is None:
        raise not_found("message")
    return message, member


def require_role(member: Member, *roles: str) -> None:
    if member.role not in roles:
        raise Problem(
            code="permission_denied",
            status=403,
            ko="이 대화방에서 그 작업을 할 권한이 없습니다.",
            en="Your role in this conversation does not allow that.",
        )
