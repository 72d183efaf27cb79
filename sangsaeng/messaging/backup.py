"""Encrypted chat backups in the user's Drawer, and restoring them on a new device.

The backup is sealed on the server the way a client would seal it: a key is derived from a backup
password with scrypt (salt random per backup) and the conversations are encrypted with AES-256-GCM.
The password lives only for the request: it is never stored or logged, so the platform can't open
a backup, and a forgotten password can't be recovered. The file header (format, KDF parameters,
salt, nonce) is authenticated as associated data, so parameters can't be swapped to weaken it.

Media are not copied into the backup: the messages keep references to the items already in the
Drawer. Restoring merges by message id: a message the user still has on the server, or restored
before, is skipped, so restoring twice adds nothing.

File layout: MAGIC, one JSON header line, then AES-GCM(gzip(JSON body)).
"""

from __future__ import annotations

import base64
import gzip
import json
import secrets
import zlib
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.json_bounded import loads_bounded
from sangsaeng.drawer import services as drawer
from sangsaeng.messaging.models import ArchivedMessage, Attachment, Backup, Member, Message
from sangsaeng.messaging.selectors import display_title
from sangsaeng.messaging.serialize import sender_name

MAGIC = b"SANGSAENG-CHAT-BACKUP\n"
BACKUP_FOLDER = "채팅 백업"
MAX_BACKUP_BYTES = 200 * 1024 * 1024
MAX_RESTORED_BYTES = 512 * 1024 * 1024  # what a backup may expand to; json.loads needs several times more
PASSWORD_MIN = 8


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password.encode())


def _password_check(password: str) -> None:
    if len(password) < PASSWORD_MIN or len(password) > 1024:
        raise Problem(
            code="backup_password_weak",
            status=422,
            ko=f"백업 비밀번호는 {PASSWORD_MIN}자 이상입니다.",
            en=f"The backup password must be at least {PASSWORD_MIN} characters.",
            field="password",
        )


def seal(body: dict[str, Any], password: str) -> bytes:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    n = int(settings.MESSAGING_BACKUP_SCRYPT_N)
    header = {
        "v": 1,
        "kdf": "scrypt",
        "n": n,
        "r": 8,
        "p": 1,
        "cipher": "AES-256-GCM",
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
    }
    header_line = json.dumps(header, separators=(",", ":")).encode() + b"\n"
    key = _derive(password, salt, n, 8, 1)
    plain = gzip.compress(json.dumps(body, ensure_ascii=False).encode())
    return MAGIC + header_line + AESGCM(key).encrypt(nonce, plain, MAGIC + header_line)


def _invalid() -> Problem:
    return Problem(
        code="backup_invalid", status=422, ko="채팅 백업 파일이 아닙니다.", en="This is not a chat backup file."
    )


def open_sealed(data: bytes, password: str) -> dict[str, Any]:
    """Decrypt a backup; a wrong password gives `backup_password_wrong` and nothing else."""
    if not data.startswith(MAGIC) or b"\n" not in data[len(MAGIC) :]:
        raise _invalid()
    header_end = data.index(b"\n", len(MAGIC)) + 1
    header_line = data[len(MAGIC) : header_end]
    try:
        header = loads_bounded(header_line)
        salt, nonce = base64.b64decode(header["salt"]), base64.b64decode(header["nonce"])
        n, r, p = int(header["n"]), int(header["r"]), int(header["p"])
    except (ValueError, KeyError, TypeError) as exc:
        raise _invalid() from exc
    # bounded parameters: a crafted header must not make the server burn memory or CPU
    if header.get("kdf") != "scrypt" or not 2**4 <= n <= 2**20 or n & (n - 1) or (r, p) != (8, 1) or len(nonce) != 12:
        raise _invalid()
    key = _derive(password, salt, n, r, p)
    try:
        plain = AESGCM(key).decrypt(nonce, data[header_end:], MAGIC + header_line)
    except InvalidTag:
        raise Problem(
            code="backup_password_wrong",
            status=422,
            ko="백업 비밀번호가 맞지 않습니다. 아무것도 복원하지 않았습니다.",
            en="The backup password is wrong. Nothing was restored.",
            field="password",
        ) from None
    try:
        text = _gunzip_bounded(plain, MAX_RESTORED_BYTES)
    except zlib.error as exc:
        raise _invalid() from exc
    if b"\\u0000" in text:  # PostgreSQL text and jsonb can't hold NUL; our own backups never have one
        raise _invalid()
    try:
        body = loads_bounded(text)
    except (ValueError, RecursionError) as exc:
        raise _invalid() from exc
    if not isinstance(body, dict):
        raise _invalid()
    return body


def _gunzip_bounded(data: bytes, limit: int) -> bytes:
    """gunzip that stops past `limit` bytes: the password holder can seal a gzip bomb (a few KB that
    expand to gigabytes), and a restore must not let it take the server's memory."""
    inflater = zlib.decompressobj(wbits=31)  # gzip framing
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        raise Problem(
            code="backup_too_large",
            status=413,
            ko="백업 내용이 너무 큽니다. 아무것도 복원하지 않았습니다.",
            en=f"The backup expands to more than {limit:,} bytes. Nothing was restored.",
            extra={"limit": limit},
        )
    if not inflater.eof:
        raise _invalid()
    return out


def _body(actor: User) -> dict[str, Any]:
    memberships = Member.objects.filter(user=actor, left_at__isnull=True).select_related("conversation")
    conversations, messages = [], []
    for member in memberships:
        conversation = member.conversation
        title = display_title(conversation, actor)
        conversations.append({"id": str(conversation.public_id), "kind": conversation.kind, "title": title})
        media = {
            a.message_id: [{"drawer_item_id": str(a.drawer_item_id), "name": a.name, "content_type": a.content_type}]
            for a in Attachment.objects.filter(user=actor, message__conversation=conversation)
        }
        rows = (
            Message.objects.filter(conversation=conversation, deleted_at__isnull=True)
            .select_related("sender", "conversation")
            .order_by("seq")
            .iterator(chunk_size=1000)
        )
        for message in rows:
            messages.append(
                {
                    "id": str(message.public_id),
                    "conversation": str(conversation.public_id),
                    "conversation_title": title,
                    "seq": message.seq,
                    "sender_name": sender_name(message),
                    "kind": message.kind,
                    "text": message.text,
                    "card": message.card,
                    "media": media.get(message.pk, []),
                    "created_at": message.created_at.isoformat(),
                }
            )
    return {
        "v": 1,
        "user": str(actor.public_id),
        "created_at": timezone.now().isoformat(),
        "conversations": conversations,
        "messages": messages,
    }


def backup_create(*, actor: User, password: str) -> Backup:
    """Seal all of the actor's conversations into a file in their Drawer (folder 채팅 백업)."""
    _password_check(password)
    body = _body(actor)
    sealed = seal(body, password)
    name = f"채팅 백업 {timezone.localtime():%Y-%m-%d %H%M%S}.sschat"
    item = drawer.file_save_from(
        owner=actor,
        name=name,
        data=sealed,
        content_type="application/octet-stream",
        source="chat_backup",
        folder=BACKUP_FOLDER,
    )
    return Backup.objects.create(
        owner=actor,
        drawer_item_id=item.public_id,
        name=item.name,
        message_count=len(body["messages"]),
        size=len(sealed),
    )


def backup_restore(*, actor: User, drawer_item_id: UUID | str, password: str) -> dict[str, int]:
    """Open a backup from the actor's Drawer and merge it: returns how many messages came back and
    how many were already there."""
    data = drawer.item_read(actor=actor, id=drawer_item_id, limit=MAX_BACKUP_BYTES)
    body = open_sealed(data, password)
    if body.get("user") != str(actor.public_id):
        raise not_found("backup")
    messages = body.get("messages", [])
    rows = [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []
    ids = []
    for row in rows:
        try:
            ids.append(UUID(str(row["id"])))
            UUID(str(row.get("conversation")))
            int(row.get("seq", 0))
        except (KeyError, ValueError, TypeError):
            raise _invalid() from None
    on_server = set(
        Message.objects.filter(
            public_id__in=ids,
            deleted_at__isnull=True,
            conversation__members__user=actor,
            conversation__members__left_at__isnull=True,
        ).values_list("public_id", flat=True)
    )
    archived = set(ArchivedMessage.objects.filter(owner=actor, message_id__in=ids).values_list("message_id", flat=True))
    fresh = []
    for row, message_id in zip(rows, ids, strict=True):
        if message_id in on_server or message_id in archived:
            continue
        archived.add(message_id)
        fresh.append(
            ArchivedMessage(
                owner=actor,
                message_id=message_id,
                conversation_id=UUID(str(row.get("conversation"))),
                conversation_title=str(row.get("conversation_title", ""))[:100],
                seq=int(row.get("seq", 0)),
                sender_name=str(row.get("sender_name", ""))[:100],
                kind=str(row.get("kind", "text"))[:30],
                text=str(row.get("text", "")),
                card=row.get("card"),
                media=row.get("media") or [],
                sent_at=parse_datetime(str(row.get("created_at"))) or timezone.now(),
            )
        )
    with transaction.atomic():
        ArchivedMessage.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=500)
    return {"restored": len(fresh), "already_present": len(rows) - len(fresh), "total": len(rows)}


def backups_of(*, user: User) -> list[Backup]:
    return list(Backup.objects.filter(owner=user).order_by("-created_at"))
