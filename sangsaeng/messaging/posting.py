"""Posting messages: validation, the per-conversation seq, idempotent retries, mentions, links, fan-out.

The seq (and the change-event number, see events.py) is assigned by raising `Conversation.last_seq`
(and `last_ev`) with an UPDATE inside the transaction that inserts the message. The UPDATE takes
the write lock first (a row lock on PostgreSQL; the database lock on SQLite, whose transactions
here begin IMMEDIATE), so concurrent posts queue on it and every message gets the next number:
unique and gapless, and the same order for every reader. A failed insert rolls the raise back
with it. `unique(conversation, seq)` is the backstop.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sangsaeng.accounts.selectors import User
from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.outbox import event_emit
from sangsaeng.core.realtime import notify_user
from sangsaeng.drawer import services as drawer
from sangsaeng.messaging import delivery
from sangsaeng.messaging.access import access_member, uuid_or_404
from sangsaeng.messaging.cards import card_type_get, unknown_kind
from sangsaeng.messaging.conversations import blocked_between
from sangsaeng.messaging.events import message_changed, message_load
from sangsaeng.messaging.models import Conversation, Link, Member, Message
from sangsaeng.messaging.serialize import media_of, message_dict

URL_PATTERN = re.compile(r"https?://[^\s<>\"']{1,2000}", re.IGNORECASE)
MENTION_PATTERN = re.compile(r"@([^\s@]{1,60})")
CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
MESSAGE_CHANGED = "messaging_message_changed"  # payload: {"message": id, "conversation": id}


def text_check(text: str, *, required: bool) -> str:
    limit = int(settings.MESSAGING_TEXT_MAX)
    if len(text) > limit:
        raise Problem(
            code="message_too_long",
            status=422,
            ko=f"메시지는 {limit:,}자까지 보낼 수 있습니다.",
            en=f"A message may be at most {limit:,} characters.",
            field="text",
            extra={"limit": limit},
        )
    if "\x00" in text:
        raise Problem(code="nul_character", ko="NUL 문자를 보낼 수 없습니다.", en="NUL is not allowed.", field="text")
    if required and not text.strip():
        raise Problem(
            code="empty_message", status=422, ko="메시지를 입력하세요.", en="The message is empty.", field="text"
        )
    return text


def _client_id_check(client_id: str | None) -> str:
    if not client_id:
        return ""
    if not CLIENT_ID_PATTERN.match(client_id):
        raise Problem(
            code="invalid_field",
            status=422,
            ko="client_id는 영문, 숫자, . _ : - 로 된 64자 이하입니다.",
            en="client_id is 1-64 characters of letters, digits, . _ : -",
            field="client_id",
        )
    return client_id


def _mentions(conversation: Conversation, text: str) -> list[Member]:
    names = {m.lower() for m in MENTION_PATTERN.findall(text)}
    if not names:
        return []
    found = []
    for member in Member.objects.select_related("user").filter(conversation=conversation, left_at__isnull=True):
        user = member.user
        if {(user.display_name or "").lower(), user.email.split("@")[0].lower()} & names:
            found.append(member)
    return found


def _load(pk: int) -> Message:
    return message_load(pk)


def message_insert(
    *,
    conversation: Conversation,
    sender: User | None,
    kind: str,
    text: str = "",
    card: dict[str, Any] | None = None,
    reply_to: Message | None = None,
    client_id: str = "",
    as_channel: bool = False,
    before_commit: Any = None,
) -> Message:
    """Insert with the next seq and announce it after the commit. Retries with a known client_id
    return the stored message instead of a second one."""
    if client_id and sender is not None:
        existing = Message.objects.filter(conversation=conversation, sender=sender, client_id=client_id).first()
        if existing is not None:
            return _load(existing.pk)
    now = timezone.now()
    try:
        with transaction.atomic():
            Conversation.objects.filter(pk=conversation.pk).update(
                last_seq=F("last_seq") + 1, last_ev=F("last_ev") + 1, last_message_at=now
            )
            seq, ev = Conversation.objects.filter(pk=conversation.pk).values_list("last_seq", "last_ev").get()
            message = Message.objects.create(
                conversation=conversation,
                seq=seq,
                created_ev=ev,
                ev=ev,
                sender=sender,
                as_channel=as_channel,
                kind=kind,
                text=text,
                card=card,
                reply_to=reply_to,
                client_id=client_id,
            )
            if sender is not None:
                Member.objects.filter(conversation=conversation, user=sender).update(last_read_seq=seq)
            mentioned = _mentions(conversation, text) if text else []
            if mentioned:
                message.mentions = [str(m.user.public_id) for m in mentioned]
                message.save(update_fields=["mentions", "updated_at"])
            _links_collect(message, conversation, text)
            _changed(message)
            if before_commit is not None:
                before_commit(message)
            message = _load(message.pk)
            delivery.broadcast(
                conversation_public_id=conversation.public_id, event="message", data=message_dict(message), ev=ev
            )
            _mentions_notify(message, mentioned)
    except IntegrityError:
        if not client_id or sender is None:
            raise
        existing = Message.objects.filter(conversation=conversation, sender=sender, client_id=client_id).first()
        if existing is None:
            raise
        return _load(existing.pk)
    return message


def _changed(message: Message) -> None:
    """Tell other apps (search) in the same transaction that a message was posted, edited or deleted."""
    event_emit(
        name=MESSAGE_CHANGED,
        payload={"message": str(message.public_id), "conversation": str(message.conversation.public_id)},
    )


def _links_collect(message: Message, conversation: Conversation, text: str) -> None:
    urls = list(dict.fromkeys(u.rstrip(".,)!?") for u in URL_PATTERN.findall(text)))[:10]
    if not urls:
        return
    owners = Member.objects.filter(conversation=conversation, left_at__isnull=True).values_list("user_id", flat=True)
    Link.objects.bulk_create(
        [Link(owner_id=owner, message=message, url=url) for owner in owners for url in urls], ignore_conflicts=True
    )


def _mentions_notify(message: Message, mentioned: list[Member]) -> None:
    sender = message.sender.display_name if message.sender else message.conversation.title
    for member in mentioned:
        if message.sender is not None and member.user_id == message.sender_id:
            continue
        user_id = member.user.public_id
        data = {
            "message": f"{sender}: {message.text[:80]}",
            "conversation": str(message.conversation.public_id),
            "seq": message.seq,
        }
        transaction.on_commit(_notifier(user_id, data))


def _notifier(user_public_id: Any, data: dict[str, Any]) -> Any:
    def notify() -> None:
        notify_user(user_public_id=user_public_id, event="chat_mention", data=data)

    return notify


def _reply_target(conversation: Conversation, reply_to: UUID | str | None) -> Message | None:
    if reply_to is None:
        return None
    target = Message.objects.filter(conversation=conversation, public_id=uuid_or_404(reply_to, "message")).first()
    if target is None:
        raise Problem(
            code="reply_not_found",
            status=422,
            ko="답장할 메시지를 찾을 수 없습니다.",
            en="The replied message was not found.",
            field="reply_to",
        )
    return target


def post_guard(*, actor: User, member: Member) -> None:
    """Rate limit per user, and no messages into a direct conversation across a block."""
    ratelimit.consume(scope="chat_post", key=str(actor.pk), limit=int(settings.MESSAGING_POSTS_PER_MINUTE), window=60)
    _block_guard(actor, member)


def _block_guard(actor: User, member: Member) -> None:
    conversation = member.conversation
    if conversation.kind == Conversation.Kind.DIRECT:
        other = Member.objects.filter(conversation=conversation).exclude(user=actor).select_related("user").first()
        if other is not None and blocked_between(actor, other.user):
            raise Problem(
                code="blocked",
                status=403,
                ko="차단 관계인 사용자에게는 메시지를 보낼 수 없습니다.",
                en="You can't message someone you blocked or who blocked you.",
            )


def message_post(
    *,
    actor: User,
    conversation_id: UUID,
    kind: str = "text",
    text: str = "",
    card: dict[str, Any] | None = None,
    reply_to: UUID | None = None,
    client_id: str | None = None,
    as_channel: bool = False,
) -> Message:
    """Post a text or card message as a member (staff may speak as the channel)."""
    member = access_member(actor=actor, conversation_id=conversation_id)
    conversation = member.conversation
    if as_channel and member.role != Member.Role.STAFF:
        raise Problem(
            code="permission_denied",
            status=403,
            ko="채널 담당자만 채널 이름으로 보낼 수 있습니다.",
            en="Only channel staff may speak as the channel.",
        )
    client = _client_id_check(client_id)
    if kind in ("image", "video", "file"):
        raise Problem(
            code="attachment_required",
            status=422,
            ko="사진, 동영상, 파일은 첨부로 보내세요.",
            en="Send images, videos and files as attachments.",
            field="kind",
        )
    if kind == "text":
        text_check(text, required=True)
        if card is not None:
            raise Problem(
                code="invalid_field",
                status=422,
                ko="텍스트 메시지에는 카드가 없습니다.",
                en="Text has no card.",
                field="card",
            )
        normalised = None
    else:
        card_type = card_type_get(kind)
        if card_type is None:
            raise unknown_kind(kind)
        text_check(text, required=False)
        if not isinstance(card, dict):
            raise Problem(
                code="missing_field", status=422, ko="카드 내용이 필요합니다.", en="card is required.", field="card"
            )
        normalised = card_type.validate(card, actor)
    if client:
        existing = Message.objects.filter(conversation=conversation, sender=actor, client_id=client).first()
        if existing is not None:
            return _load(existing.pk)
    post_guard(actor=actor, member=member)
    return message_insert(
        conversation=conversation,
        sender=actor,
        kind=kind,
        text=text,
        card=normalised,
        reply_to=_reply_target(conversation, reply_to),
        client_id=client,
        as_channel=as_channel,
    )


def message_post_from_channel(*, conversation_id: UUID, text: str, card: dict[str, Any] | None = None) -> Message:
    """A system message from the channel itself (order notifications): no human sender.

    `card`, when given, is {"kind": <registered card kind>, ...payload already normalised by the caller}.
    """
    conversation = Conversation.objects.filter(
        public_id=uuid_or_404(conversation_id, "conversation"), kind=Conversation.Kind.CHANNEL
    ).first()
    if conversation is None:
        raise not_found("conversation")
    kind = "text"
    payload = None
    if card is not None:
        kind = str(card.get("kind", ""))
        if card_type_get(kind) is None:
            raise unknown_kind(kind)
        payload = {k: v for k, v in card.items() if k != "kind"}
    text_check(text, required=card is None)
    return message_insert(conversation=conversation, sender=None, kind=kind, text=text, card=payload, as_channel=True)


def message_post_as_bot(
    *,
    sender: User,
    conversation_id: UUID | str,
    text: str = "",
    card: dict[str, Any] | None = None,
    client_id: str = "",
) -> Message:
    """A message from a service account that is a live member (the assistant in a user's 1:1 with it).

    Unlike `message_post` there is no per-user rate limit: one account speaks for many people, and
    what makes it speak is limited by its caller. `card`, when given, is {"kind": <registered kind>,
    ...payload already normalised by the caller}, as in `message_post_from_channel`. A block between
    the two members of a direct conversation still refuses it, and a retry with the same `client_id`
    returns the stored message.
    """
    member = access_member(actor=sender, conversation_id=conversation_id)
    _block_guard(sender, member)
    kind, payload = "text", None
    if card is not None:
        kind = str(card.get("kind", ""))
        if card_type_get(kind) is None:
            raise unknown_kind(kind)
        payload = {k: v for k, v in card.items() if k != "kind"}
    text_check(text, required=card is None)
    return message_insert(
        conversation=member.conversation,
        sender=sender,
        kind=kind,
        text=text,
        card=payload,
        client_id=_client_id_check(client_id),
    )


def _own_message(actor: User, message_id: UUID | str) -> Message:
    from sangsaeng.messaging.access import access_message

    message, _member = access_message(actor=actor, message_id=message_id)
    if message.sender_id != actor.pk or message.deleted_at is not None:
        raise not_found("message")
    return message


def message_edit(*, actor: User, message_id: UUID | str, text: str) -> Message:
    """Edit the text of one's own message within MESSAGING_EDIT_WINDOW_SECONDS."""
    message = _own_message(actor, message_id)
    if message.kind != "text":
        raise Problem(
            code="not_editable",
            status=422,
            ko="텍스트 메시지만 고칠 수 있습니다.",
            en="Only text messages can be edited.",
        )
    window = int(settings.MESSAGING_EDIT_WINDOW_SECONDS)
    if (timezone.now() - message.created_at).total_seconds() > window:
        raise Problem(
            code="edit_window_passed",
            status=409,
            ko="수정할 수 있는 시간이 지났습니다.",
            en=f"Messages can be edited for {window // 60} minutes after sending.",
        )
    text_check(text, required=True)
    with transaction.atomic():
        message.text = text
        message.edited_at = timezone.now()
        message.save(update_fields=["text", "edited_at", "updated_at"])
        _changed(message)
        message = message_changed(message)
    return message


def message_delete(*, actor: User, message_id: UUID | str) -> Message:
    """Delete one's own message for everyone, within MESSAGING_DELETE_WINDOW_SECONDS of sending."""
    message = _own_message(actor, message_id)
    window = int(settings.MESSAGING_DELETE_WINDOW_SECONDS)
    if (timezone.now() - message.created_at).total_seconds() > window:
        raise Problem(
            code="delete_window_passed",
            status=409,
            ko=f"보낸 지 {window // 60}분이 지난 메시지는 모두에게서 삭제할 수 없습니다.",
            en=f"Messages can be deleted for everyone only within {window // 60} minutes of sending.",
            extra={"window_seconds": window},
        )
    with transaction.atomic():
        message.deleted_at = timezone.now()
        message.save(update_fields=["deleted_at", "updated_at"])
        Link.objects.filter(message=message).delete()
        media = media_of(message)
        if media is not None and media.hold is not None:
            # the chat stops showing the file; members' Drawer items keep it for them
            drawer.shared_file_release(sha256=media.sha256, holder=media.holder)
        _changed(message)
        message = message_changed(message)
    return message
