"""Where attachment files live: the platform's storage (var/files/ here, S3 at scale).

The files are ciphertext: the client encrypts each one with its own key before uploading.
"""

from __future__ import annotations

from django.core.files.base import File
from django.core.files.storage import default_storage

from sangsaeng.vault.models import Attachment, Cipher, VaultAccount


def attachment_path(attachment: Attachment) -> str:
    """Where an attachment's ciphertext lives in storage: per account, per cipher."""
    cipher = attachment.cipher
    return f"vault/{cipher.account.public_id}/{cipher.public_id}/{attachment.public_id}"


def attachment_file_save(*, attachment: Attachment, content: File) -> str:
    """Store (or replace) an attachment's ciphertext; returns the storage name."""
    path = attachment_path(attachment)
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, content)


def attachment_files_delete(*, account: VaultAccount, cipher: Cipher | None = None) -> None:
    """Remove the stored files of an account's (or one cipher's) attachments."""
    attachments = Attachment.objects.filter(cipher__account=account).exclude(storage_name="")
    if cipher is not None:
        attachments = attachments.filter(cipher=cipher)
    for storage_name in attachments.values_list("storage_name", flat=True):
        default_storage.delete(storage_name)
