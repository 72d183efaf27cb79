"""Read receipts and reactions: small state changes announced to the conversation."""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem
from sangsaeng.messaging import delivery
from sangsaeng.messaging.access import access_member, access_message
from sangsaeng.messaging.events import message_changed
from sangsaeng.messaging.models import Member, Message, Reaction

REACTIONS = ("👍", "❤️", "😂", "😮", "😢", "🙏", "👏", "🎉")


def conversation_read(*, actor: User, conversation_id: UUID | str, seq: int) -> Member:
    """Move the actor's read pointer forward to `seq` (never back, never past the last message)."""
    member = access_member(actor=actor, conversation_id=conversation_id)
    conversation = member.conversation
    seq = max(0, min(int(seq), conversation.last_seq))
    if seq <= member.last_read_seq:
        return member
    with transaction.atomic():
        Member.objects.filter(pk=member.pk, last_read_seq__lt=seq).update(last_read_seq=seq)
        member.refresh_from_db(fields=["last_read_seq"])
        delivery.broadcast(
            conversation_public_id=conversation.public_id,
            event="read",
            data={
                "conversation": str(conversation.public_id),
                "user": str(actor.public_id),
                "seq": member.last_read_seq,
            },
        )
    return member


def _reaction_check(emoji: str) -> str:
    if emoji not in REACTIONS:
        raise Problem(
            code="invalid_reaction",
            status=422,
            ko="지원하지 않는 반응입니다.",
            en="That reaction is not supported.",
            field="emoji",
            extra={"reactions": list(REACTIONS)},
        )
    return emoji


def reaction_add(*, actor: User, message_id: UUID | str, emoji: str) -> Message:
    message, _member = access_message(actor=actor, message_id=message_id)
    _reaction_check(emoji)
    if message.deleted_at is not None:
        raise Problem(code="message_deleted", status=409, ko="삭제된 메시지입니다.", en="The message was deleted.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                Reaction.objects.create(message=message, user=actor, emoji=emoji)
        except IntegrityError:
            return message
        message_changed(message)
    return message


def reaction_remove(*, actor: User, message_id: UUID | str, emoji: str) -> Message:
    message, _member = access_message(actor=actor, message_id=message_id)
    with transaction.atomic():
        if Reaction.objects.filter(message=message, user=actor, emoji=emoji).delete()[0]:
            message_changed(message)
    return message
