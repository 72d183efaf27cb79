"""The JSON shapes and casing Bitwarden clients expect, following Vaultwarden's responses.

`/api` answers are camelCase with an `object` field; the token endpoint mixes OAuth snake_case
with PascalCase Bitwarden fields.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sangsaeng.vault.attachments import download_token
from sangsaeng.vault.items import TYPE_KEYS
from sangsaeng.vault.models import CipherType, Folder, VaultAccount

_EMPTY_TYPES = {key: None for key in (*TYPE_KEYS.values(), "bankAccount", "driversLicense", "passport")}


def iso(value: datetime | None) -> str | None:
    """RFC 3339 in UTC with microseconds, as Vaultwarden writes dates."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def millis(value: datetime) -> int:
    return int(value.timestamp() * 1000)


def size_name(size: int) -> str:
    amount = float(size)
    for unit in ("Bytes", "KB", "MB", "GB"):
        if amount < 1024 or unit == "GB":
            return f"{amount:.0f} {unit}" if unit == "Bytes" else f"{amount:.2f} {unit}"
        amount /= 1024
    return f"{size} Bytes"


def attachment_json(row: dict[str, Any], *, base_url: str) -> dict[str, Any]:
    cipher_id, attachment_id = str(row["cipher__public_id"]), str(row["public_id"])
    token = download_token(cipher_id=cipher_id, attachment_id=attachment_id)
    return {
        "id": attachment_id,
        "url": f"{base_url}/attachments/{cipher_id}/{attachment_id}?token={token}",
        "fileName": row["file_name"],
        "size": str(row["size"]),
        "sizeName": size_name(row["size"]),
        "key": row["key"],
        "object": "attachment",
    }


def cipher_json(row: dict[str, Any], *, base_url: str) -> dict[str, Any]:
    """One cipher as `cipherDetails`, from a row of `selectors.cipher_rows`."""
    kind = row["type"]
    type_data = dict(row["data"] or {})
    if kind == CipherType.LOGIN:
        uris = type_data.get("uris") or []
        type_data["uri"] = uris[0].get("uri") if uris else None
    deleted = iso(row["deleted_at"])
    attachments = row["attachments"]
    body: dict[str, Any] = {
        "object": "cipherDetails",
        "id": str(row["public_id"]),
        "type": kind,
        "creationDate": iso(row["created_at"]),
        "revisionDate": iso(row["updated_at"]),
        "deletedDate": deleted,
        "archivedDate": None,
        "reprompt": row["reprompt"],
        "organizationId": None,
        "key": row["key"],
        "attachments": [attachment_json(a, base_url=base_url) for a in attachments] if attachments else None,
        "organizationUseTotp": True,
        "collectionIds": [],
        "name": row["name"],
        "notes": row["notes"],
        "fields": row["fields"] or [],
        "passwordHistory": row["password_history"] or [],
        "folderId": str(row["folder__public_id"]) if row["folder__public_id"] else None,
        "favorite": row["favorite"],
        "edit": True,
        "viewPassword": True,
        "permissions": {"delete": True, "restore": True},
    }
    body.update(_EMPTY_TYPES)
    body[TYPE_KEYS[CipherType(kind)]] = type_data
    return body


def folder_json(folder: Folder) -> dict[str, Any]:
    return {
        "id": str(folder.public_id),
        "revisionDate": iso(folder.updated_at),
        "name": folder.name,
        "object": "folder",
    }


def account_keys_json(account: VaultAccount, *, pascal: bool) -> dict[str, Any] | None:
    if not account.private_key:
        return None
    obj = "Object" if pascal else "object"
    return {
        "publicKeyEncryptionKeyPair": {
            "wrappedPrivateKey": account.private_key,
            "publicKey": account.public_key,
            "signedPublicKey": None,
            obj: "publicKeyEncryptionKeyPair",
        },
        "signatureKeyPair": None,
        "securityState": None,
        obj: "privateKeys",
    }


def profile_json(account: VaultAccount) -> dict[str, Any]:
    return {
        "_status": 0,
        "accountKeys": account_keys_json(account, pascal=False),
        "id": str(account.public_id),
        "name": account.name,
        "email": account.email,
        "emailVerified": True,
        "premium": True,
        "premiumFromOrganization": False,
        "culture": "ko-KR",
        "twoFactorEnabled": False,
        "key": account.user_key,
        "privateKey": account.private_key,
        "securityStamp": str(account.security_stamp),
        "organizations": [],
        "providers": [],
        "providerOrganizations": [],
        "forcePasswordReset": False,
        "avatarColor": None,
        "usesKeyConnector": False,
        "creationDate": iso(account.created_at),
        "object": "profile",
    }


def kdf_json(kdf_type: int, iterations: int, memory: int | None, parallelism: int | None) -> dict[str, Any]:
    return {
        "kdf": kdf_type,
        "kdfIterations": iterations,
        "kdfMemory": memory,
        "kdfParallelism": parallelism,
        "kdfSettings": {"kdfType": kdf_type, "iterations": iterations, "memory": memory, "parallelism": parallelism},
        "salt": None,
    }


def master_password_unlock(account: VaultAccount, *, pascal: bool) -> dict[str, Any]:
    if pascal:
        return {
            "Kdf": {
                "KdfType": account.kdf_type,
                "Iterations": account.kdf_iterations,
                "Memory": account.kdf_memory,
                "Parallelism": account.kdf_parallelism,
            },
            "MasterKeyEncryptedUserKey": account.user_key,
            "MasterKeyWrappedUserKey": account.user_key,
            "Salt": account.email,
        }
    return {
        "kdf": {
            "kdfType": account.kdf_type,
            "iterations": account.kdf_iterations,
            "memory": account.kdf_memory,
            "parallelism": account.kdf_parallelism,
        },
        "masterKeyEncryptedUserKey": account.user_key,
        "masterKeyWrappedUserKey": account.user_key,
        "salt": account.email,
    }


def sync_json(
    account: VaultAccount, folders: list[Folder], rows: list[dict[str, Any]], *, base_url: str, domains: bool
) -> dict[str, Any]:
    return {
        "profile": profile_json(account),
        "folders": [folder_json(f) for f in folders],
        "collections": [],
        "policies": [],
        "ciphers": [cipher_json(row, base_url=base_url) for row in rows],
        "domains": {"equivalentDomains": [], "globalEquivalentDomains": [], "object": "domains"} if domains else None,
        "sends": [],
        "userDecryption": {"masterPasswordUnlock": master_password_unlock(account, pascal=False)},
        "object": "sync",
    }
