"""Reads of the vault: what `/api/sync` sends, devices, and the settings page's summary."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.utils import timezone

from sangsaeng.vault.models import Attachment, Cipher, Device, Folder, SignupWindow, VaultAccount

CIPHER_COLUMNS = (
    "public_id",
    "type",
    "name",
    "notes",
    "key",
    "data",
    "fields",
    "password_history",
    "favorite",
    "reprompt",
    "deleted_at",
    "created_at",
    "updated_at",
    "folder__public_id",
)
ATTACHMENT_COLUMNS = ("cipher_id", "public_id", "file_name", "key", "size", "cipher__public_id")


def account_for_user(*, user: Any) -> VaultAccount | None:
    """The platform user's vault, if they made one."""
    return VaultAccount.objects.filter(user=user).first()


def signup_open_until(*, user: Any) -> datetime | None:
    """When the sign-up window the user opened closes; None if none is open."""
    window = SignupWindow.objects.filter(user=user, open_until__gt=timezone.now()).first()
    return window.open_until if window else None


def device_list(*, account: VaultAccount) -> list[Device]:
    """The vault's signed-in devices, most recently used first."""
    return list(Device.objects.filter(account=account).order_by("-last_seen_at"))


def device_is_known(*, email: str, identifier: str) -> bool:
    """Whether this device identifier has signed in to this email's vault before."""
    if not email or not identifier:
        return False
    return Device.objects.filter(account__email=email, identifier=identifier).exists()


def folder_list(*, account: VaultAccount) -> list[Folder]:
    """The vault's folders, oldest first."""
    return list(Folder.objects.filter(account=account).order_by("created_at"))


def cipher_rows(*, account: VaultAccount, cipher_id: int | None = None) -> list[dict[str, Any]]:
    """Ciphers as plain rows, with their attachments, without building model instances."""
    ciphers = Cipher.objects.filter(account=account)
    if cipher_id is not None:
        ciphers = ciphers.filter(pk=cipher_id)
    rows = list(ciphers.order_by("created_at").values("id", *CIPHER_COLUMNS))
    attachments: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if rows:
        found = Attachment.objects.filter(cipher__account=account).exclude(storage_name="")
        if cipher_id is not None:
            found = found.filter(cipher_id=cipher_id)
        for row in found.order_by("created_at").values(*ATTACHMENT_COLUMNS):
            attachments[row["cipher_id"]].append(row)
    for row in rows:
        row["attachments"] = attachments.get(row["id"], [])
    return rows


def cipher_count(*, account: VaultAccount) -> dict[str, int]:
    """Counts for the settings page: items, items in the trash, folders."""
    return {
        "items": Cipher.objects.filter(account=account, deleted_at__isnull=True).count(),
        "trash": Cipher.objects.filter(account=account, deleted_at__isnull=False).count(),
        "folders": Folder.objects.filter(account=account).count(),
    }
