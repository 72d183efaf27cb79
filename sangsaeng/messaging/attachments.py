"""Photos, videos and files sent in chat, kept in each member's Drawer under 채팅 미디어.

The Drawer stores content once per owner (blobs are unique per owner and SHA-256, each sealed under
its owner's keys and counted in its owner's quota), so the file is written once per member who
doesn't have those bytes yet: sending the same photo again, or into another room, stores nothing new.
A member whose Drawer is full still gets the message, without a copy of their own.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import IO
from uuid import UUID

from django.conf import settings

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem
from sangsaeng.drawer import services as drawer
from sangsaeng.messaging.access import access_member
from sangsaeng.messaging.models import Attachment, Member, Message
from sangsaeng.messaging.posting import _client_id_check, message_insert, post_guard, text_check

log = logging.getLogger(__name__)
CHAT_MEDIA_FOLDER = "채팅 미디어"


def _too_large(limit: int) -> Problem:
    return Problem(
        code="attachment_too_large",
        status=413,
        ko=f"첨부 파일은 {limit // (1024 * 1024)}MB까지 보낼 수 있습니다.",
        en=f"Attachments may be at most {limit // (1024 * 1024)} MB.",
        field="file",
        extra={"limit": limit},
    )


def message_attach(
    *,
    actor: User,
    conversation_id: UUID | str,
    name: str,
    data: bytes | IO[bytes],
    content_type: str = "",
    text: str = "",
    client_id: str | None = None,
) -> Message:
    """Send a file: it lands in every member's Drawer (채팅 미디어) and the message links to it."""
    member = access_member(actor=actor, conversation_id=conversation_id)
    conversation = member.conversation
    client = _client_id_check(client_id)
    text_check(text, required=False)
    name = drawer.name_clean(name, field="file")
    if client:
        existing = Message.objects.filter(conversation=conversation, sender=actor, client_id=client).first()
        if existing is not None:
            return existing
    post_guard(actor=actor, member=member)
    limit = int(settings.MESSAGING_ATTACHMENT_MAX_BYTES)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix="chat-")
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            chunks = [data] if isinstance(data, bytes) else iter(lambda: data.read(1 << 20), b"")
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise Problem(
                code="empty_file", status=422, ko="빈 파일은 보낼 수 없습니다.", en="The file is empty.", field="file"
            )
        own = drawer.file_save_from(
            owner=actor, name=name, data=Path(tmp), content_type=content_type, source="chat", folder=CHAT_MEDIA_FOLDER
        )
        copies = {actor.pk: own}
        others = (
            Member.objects.filter(conversation=conversation, left_at__isnull=True)
            .exclude(user=actor)
            .select_related("user")
        )
        for other in others:
            try:
                copies[other.user_id] = drawer.file_save_from(
                    owner=other.user,
                    name=name,
                    data=Path(tmp),
                    content_type=content_type,
                    source="chat",
                    folder=CHAT_MEDIA_FOLDER,
                )
            except Problem as exc:  # a full Drawer: the member still gets the message
                log.info("chat media not copied for member %s: %s", other.pk, exc.code)
    finally:
        Path(tmp).unlink(missing_ok=True)

    sha = digest.hexdigest()

    def attach(message: Message) -> None:
        Attachment.objects.bulk_create(
            [
                Attachment(
                    message=message,
                    user_id=user_id,
                    drawer_item_id=item.public_id,
                    name=item.name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=sha,
                )
                for user_id, item in copies.items()
            ]
        )

    return message_insert(
        conversation=conversation, sender=actor, kind=str(own.kind), text=text, client_id=client, before_commit=attach
    )


def attachment_for(*, actor: User, message: Message) -> Attachment | None:
    return Attachment.objects.filter(message=message, user=actor).first()
