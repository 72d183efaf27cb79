"""Attachments through Bitwarden's v2 flow: announce the file, then upload it to the given URL.

1. `POST /api/ciphers/{id}/attachment/v2` with the encrypted file name, the file key (wrapped by
   the user or cipher key) and the size: the server records the attachment and answers where to
   upload.
2. `POST /api/ciphers/{id}/attachment/{attachmentId}` with the encrypted bytes as multipart
   `data`: stored by the platform's storage layer.
3. Downloads go through a short-lived signed URL, which is what clients expect to fetch without
   their bearer token.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.vault import encstring
from sangsaeng.vault.files import attachment_file_save
from sangsaeng.vault.items import access_cipher
from sangsaeng.vault.models import Attachment, VaultAccount
from sangsaeng.vault.services import account_touch, parse_uuid

MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024
DOWNLOAD_SALT = "sangsaeng.vault.attachment-download"
DOWNLOAD_MAX_AGE = 300


def access_attachment(*, actor: VaultAccount, cipher_id: Any, attachment_id: Any) -> Attachment:
    """The actor's attachment on the actor's cipher; one 404 for "missing" and "someone else's"."""
    cipher = access_cipher(actor=actor, cipher_id=cipher_id)
    attachment = Attachment.objects.filter(cipher=cipher, public_id=parse_uuid(attachment_id)).first()
    if attachment is None:
        raise not_found("attachment")
    attachment.cipher = cipher
    return attachment


def attachment_prepare(*, actor: VaultAccount, cipher_id: Any, file_name: Any, key: Any, size: Any) -> Attachment:
    """Record an attachment the client is about to upload (step 1 of the v2 flow)."""
    cipher = access_cipher(actor=actor, cipher_id=cipher_id)
    encstring.check(file_name, field="fileName", limit=encstring.NAME_MAX, required=True)
    encstring.check(key, field="key", limit=encstring.KEY_MAX, required=True)
    try:
        size = int(size)
    except (TypeError, ValueError):
        size = -1
    if not 0 <= size <= MAX_ATTACHMENT_BYTES:
        raise Problem(
            code="attachment_too_large" if size > 0 else "invalid_field",
            ko=f"첨부 파일은 {MAX_ATTACHMENT_BYTES // 1024 // 1024}MB까지 올릴 수 있습니다.",
            en=f"Attachments can be at most {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB.",
            field="fileSize",
        )
    return Attachment.objects.create(cipher=cipher, file_name=file_name, key=key, size=size)


def attachment_upload(*, actor: VaultAccount, cipher_id: Any, attachment_id: Any, content: File) -> Attachment:
    """Store the encrypted bytes (step 2); their size must be the one announced."""
    attachment = access_attachment(actor=actor, cipher_id=cipher_id, attachment_id=attachment_id)
    if content.size != attachment.size:
        raise Problem(
            code="attachment_size_mismatch",
            ko="파일 크기가 알린 크기와 다릅니다.",
            en="The uploaded size differs from the announced one.",
            field="data",
        )
    with transaction.atomic():
        attachment.storage_name = attachment_file_save(attachment=attachment, content=content)
        attachment.save(update_fields=["storage_name", "updated_at"])
        account_touch(account=actor)
    return attachment


def attachment_delete(*, actor: VaultAccount, cipher_id: Any, attachment_id: Any) -> None:
    """Remove an attachment and its stored file."""
    attachment = access_attachment(actor=actor, cipher_id=cipher_id, attachment_id=attachment_id)
    with transaction.atomic():
        if attachment.storage_name:
            default_storage.delete(attachment.storage_name)
        attachment.delete()
        account_touch(account=actor)


def download_token(*, cipher_id: Any, attachment_id: Any) -> str:
    """What a download URL carries instead of the bearer token; good for DOWNLOAD_MAX_AGE seconds."""
    return signing.dumps({"a": str(attachment_id), "c": str(cipher_id)}, salt=DOWNLOAD_SALT)


def attachment_for_download(*, cipher_id: Any, attachment_id: Any, token: str) -> Attachment:
    """The attachment a signed download URL names; a 404 for a bad, expired or mismatched token."""
    try:
        claims = signing.loads(token, salt=DOWNLOAD_SALT, max_age=DOWNLOAD_MAX_AGE)
    except signing.BadSignature as exc:
        raise not_found("attachment") from exc
    if claims.get("a") != str(attachment_id) or claims.get("c") != str(cipher_id):
        raise not_found("attachment")
    attachment = (
        Attachment.objects.select_related("cipher", "cipher__account")
        .filter(public_id=parse_uuid(attachment_id), cipher__public_id=parse_uuid(cipher_id))
        .exclude(storage_name="")
        .first()
    )
    if attachment is None:
        raise not_found("attachment")
    return attachment
