"""Photos, videos and files sent in chat: stored once, and in each member's Drawer under 채팅 미디어.

The bytes are stored once through the Drawer as a shared blob, held by the message
(`MessageMedia.hold`) for as long as the chat shows it. Each member gets an item of their own in
their Drawer pointing at that one copy: they can rename, favourite or delete it without touching
anyone else's. A member whose Drawer is full still gets the message, without a Drawer item; the
chat opens the file for every member either way (see views.media).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import uuid
from pathlib import Path
from typing import IO
from uuid import UUID

from django.conf import settings

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.drawer import selectors as drawer_selectors
from sangsaeng.drawer import services as drawer
from sangsaeng.messaging.access import access_member, access_message
from sangsaeng.messaging.models import Attachment, Member, Message, MessageMedia
from sangsaeng.messaging.posting import _client_id_check, message_insert, post_guard, text_check
from sangsaeng.messaging.serialize import media_of

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


def _spool(data: bytes | IO[bytes], limit: int) -> tuple[Path, str, int]:
    """Copy the upload to a private temporary file, refusing it past `limit` bytes or empty.
    Returns (path, SHA-256, size); the caller deletes the file."""
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix="chat-")
    size = 0
    try:
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
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp), digest.hexdigest(), size


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
    """Send a file: stored once, it lands in every member's Drawer (채팅 미디어) and the message
    carries it. A retry with the same `client_id` returns the message already sent."""
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
    kind, media_type = drawer.kind_of(name, content_type)
    path, sha, size = _spool(data, int(settings.MESSAGING_ATTACHMENT_MAX_BYTES))
    media = MessageMedia(name=name, content_type=media_type, size=size, sha256=sha, hold=uuid.uuid4())
    try:
        drawer.shared_file_store(path=path, holder=media.holder)
    finally:
        path.unlink(missing_ok=True)

    def attach(message: Message) -> None:
        media.message = message
        media.save()
        entries = []
        members = Member.objects.filter(conversation=conversation, left_at__isnull=True).select_related("user")
        for each in members.order_by("id"):
            try:
                item = drawer.shared_item_add(
                    owner=each.user,
                    sha256=sha,
                    name=name,
                    folder=CHAT_MEDIA_FOLDER,
                    content_type=media_type,
                    source="chat",
                )
            except Problem as exc:  # a full Drawer: the member still gets the message
                log.info("chat media not added for member %s: %s", each.pk, exc.code)
                continue
            entries.append(
                Attachment(
                    message=message,
                    user_id=each.user_id,
                    drawer_item_id=item.public_id,
                    name=item.name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=sha,
                )
            )
        Attachment.objects.bulk_create(entries)

    try:
        message = message_insert(
            conversation=conversation,
            sender=actor,
            kind=str(kind),
            text=text,
            client_id=client,
            before_commit=attach,
        )
    except BaseException:
        drawer.shared_file_release(sha256=sha, holder=media.holder)
        raise
    stored = media_of(message)
    if stored is None or stored.hold != media.hold:
        # a concurrent retry with the same client_id stored the message first: drop our hold
        drawer.shared_file_release(sha256=sha, holder=media.holder)
    return message


def attachment_for(*, actor: User, message: Message) -> Attachment | None:
    return Attachment.objects.filter(message=message, user=actor).first()


def media_for(*, actor: User, message_id: UUID | str) -> tuple[MessageMedia, Attachment | None]:
    """The file of a message, for a member of its conversation, with the member's own Drawer
    entry for it while that is in their Drawer. One 404 for a missing message, someone who isn't
    a member, a message deleted for everyone, and an old (unshared) file whose copy is gone."""
    message, _member = access_message(actor=actor, message_id=message_id)
    media = media_of(message)
    if media is None or message.deleted_at is not None:
        raise not_found("file")
    entry = attachment_for(actor=actor, message=message)
    if entry is not None and not drawer_selectors.items_owned(owner=actor, public_ids=[str(entry.drawer_item_id)]):
        entry = None
    if entry is None and media.hold is None:
        raise not_found("file")
    return media, entry
