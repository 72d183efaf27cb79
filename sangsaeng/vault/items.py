"""Folders and ciphers: create, update, soft delete, restore, delete.

Every value a client sends here was encrypted on the client. The server checks the EncString
shape and the sizes Bitwarden's own server allows, keeps the JSON as sent, and moves the
account's revision date so that other devices sync.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.vault import encstring
from sangsaeng.vault.files import attachment_files_delete
from sangsaeng.vault.models import Cipher, CipherType, Folder, VaultAccount
from sangsaeng.vault.services import account_touch, parse_uuid

TYPE_KEYS = {
    CipherType.LOGIN: "login",
    CipherType.SECURE_NOTE: "secureNote",
    CipherType.CARD: "card",
    CipherType.IDENTITY: "identity",
    CipherType.SSH_KEY: "sshKey",
}
MAX_FIELDS = 200
MAX_HISTORY = 100
MAX_URIS = 100
STALE = Problem(
    code="stale_revision",
    ko="이 항목이 다른 기기에서 바뀌었습니다. 동기화한 뒤 다시 시도하세요.",
    en="The client copy of this cipher is out of date. Resync the client and try again.",
    field="lastKnownRevisionDate",
)


def lower_keys(value: Any) -> Any:
    """camelCase keys, whatever the client sent: old clients wrote PascalCase JSON."""
    if isinstance(value, dict):
        return {(k[:1].lower() + k[1:] if isinstance(k, str) else k): lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


def _invalid(field: str, en: str, ko: str = "입력 값이 올바르지 않습니다.") -> Problem:
    return Problem(code="invalid_field", ko=ko, en=en, field=field)


# Folders -----------------------------------------------------------------------------------------


def access_folder(*, actor: VaultAccount, folder_id: Any) -> Folder:
    """The actor's folder; one 404 for "missing" and "someone else's"."""
    folder = Folder.objects.filter(public_id=parse_uuid(folder_id), account=actor).first()
    if folder is None:
        raise not_found("folder")
    return folder


def folder_create(*, actor: VaultAccount, name: Any) -> Folder:
    """A folder whose name the client encrypted."""
    name = encstring.check(name, field="name", limit=encstring.NAME_MAX, required=True)
    with transaction.atomic():
        folder = Folder.objects.create(account=actor, name=name)
        account_touch(account=actor)
    return folder


def folder_update(*, actor: VaultAccount, folder_id: Any, name: Any) -> Folder:
    """Rename a folder (the new name is an EncString too)."""
    folder = access_folder(actor=actor, folder_id=folder_id)
    folder.name = encstring.check(name, field="name", limit=encstring.NAME_MAX, required=True) or ""
    with transaction.atomic():
        folder.save(update_fields=["name", "updated_at"])
        account_touch(account=actor)
    return folder


def folder_delete(*, actor: VaultAccount, folder_id: Any) -> None:
    """Delete a folder; its items stay, outside any folder."""
    folder = access_folder(actor=actor, folder_id=folder_id)
    with transaction.atomic():
        Cipher.objects.filter(folder=folder).update(folder=None, updated_at=timezone.now())
        folder.delete()
        account_touch(account=actor)


# Ciphers -----------------------------------------------------------------------------------------


def access_cipher(*, actor: VaultAccount, cipher_id: Any, for_update: bool = False) -> Cipher:
    """The actor's cipher; one 404 for "missing" and "someone else's".

    `for_update` locks the row (inside the caller's transaction) so that a check of its revision
    and the write that follows can't interleave with another device's write.
    """
    ciphers = Cipher.objects.select_for_update(of=("self",)) if for_update else Cipher.objects.select_related("folder")
    cipher = ciphers.filter(public_id=parse_uuid(cipher_id), account=actor).first()
    if cipher is None:
        raise not_found("cipher")
    return cipher


def _type_object(kind: int, data: dict[str, Any]) -> dict[str, Any]:
    key = TYPE_KEYS[CipherType(kind)]
    obj = data.get(key)
    if obj is None:
        obj = {}
    if not isinstance(obj, dict):
        raise _invalid(key, f"{key} must be an object.")
    obj = dict(obj)
    if kind == CipherType.LOGIN:
        obj.pop("uri", None)  # derived from uris[0] on the way out
        uris = obj.get("uris")
        if uris is not None and (not isinstance(uris, list) or len(uris) > MAX_URIS):
            raise _invalid(f"{key}.uris", f"login.uris must be a list of at most {MAX_URIS}.")
        for i, uri in enumerate(uris or []):
            if not isinstance(uri, dict):
                raise _invalid(f"login.uris[{i}]", "Each URI must be an object.")
            match = uri.get("match")
            if match is not None and (isinstance(match, bool) or not isinstance(match, int) or not 0 <= match <= 5):
                raise _invalid(f"login.uris[{i}].match", "match must be 0-5 or null.")
    if kind == CipherType.SECURE_NOTE:
        note_type = obj.get("type", 0)
        if isinstance(note_type, bool) or not isinstance(note_type, int):
            raise _invalid("secureNote.type", "secureNote.type must be an integer.")
        obj["type"] = note_type
        encstring.check_tree({k: v for k, v in obj.items() if k != "type"}, field=key)
        return obj
    encstring.check_tree(obj, field=key)
    return obj


def _list_of_objects(value: Any, *, field: str, limit: int) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > limit or not all(isinstance(v, dict) for v in value):
        raise _invalid(field, f"{field} must be a list of at most {limit} objects.")
    return value


def cipher_parse(*, actor: VaultAccount, data: Any) -> dict[str, Any]:
    """Validate a Bitwarden cipher request and return the model fields it sets."""
    if not isinstance(data, dict):
        raise _invalid("", "The body must be a JSON object.")
    data = lower_keys(data)
    kind = data.get("type")
    if isinstance(kind, bool) or not isinstance(kind, int) or kind not in CipherType.values:
        raise Problem(
            code="unknown_cipher_type",
            ko="알 수 없는 항목 종류입니다.",
            en="The cipher type is not known.",
            field="type",
        )
    if data.get("organizationId"):
        raise _invalid("organizationId", "Organizations are not supported on this server.")
    fields = _list_of_objects(data.get("fields"), field="fields", limit=MAX_FIELDS)
    for i, field in enumerate(fields):
        encstring.check(field.get("name"), field=f"fields[{i}].name", limit=encstring.NAME_MAX)
        encstring.check(field.get("value"), field=f"fields[{i}].value", limit=5_000)
        for number in ("type", "linkedId"):
            value = field.get(number)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise _invalid(f"fields[{i}].{number}", f"fields[{i}].{number} must be an integer.")
    history = _list_of_objects(data.get("passwordHistory"), field="passwordHistory", limit=MAX_HISTORY)
    encstring.check_tree(history, field="passwordHistory")
    reprompt = data.get("reprompt") or 0
    if reprompt not in (0, 1):
        raise _invalid("reprompt", "reprompt must be 0 or 1.")
    folder_id = data.get("folderId") or None
    folder = access_folder(actor=actor, folder_id=folder_id) if folder_id else None
    return {
        "type": kind,
        "name": encstring.check(data.get("name"), field="name", limit=encstring.NAME_MAX, required=True),
        "notes": encstring.check(data.get("notes"), field="notes", limit=encstring.NOTES_MAX),
        "key": encstring.check(data.get("key"), field="key", limit=encstring.KEY_MAX),
        "data": _type_object(kind, data),
        "fields": fields,
        "password_history": history,
        "favorite": bool(data.get("favorite")),
        "reprompt": reprompt,
        "folder": folder,
        "last_known": data.get("lastKnownRevisionDate"),
    }


def _parse_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def cipher_create(*, actor: VaultAccount, data: Any) -> Cipher:
    """Store a new item exactly as the client encrypted it."""
    values = cipher_parse(actor=actor, data=data)
    values.pop("last_known")  # mobile clients send 0001-01-01 on create; it means nothing here
    with transaction.atomic():
        cipher = Cipher.objects.create(account=actor, **values)
        account_touch(account=actor)
    return cipher


def cipher_update(*, actor: VaultAccount, cipher_id: Any, data: Any) -> Cipher:
    """Replace a cipher's contents, unless the client edited an older copy than the one stored."""
    values = cipher_parse(actor=actor, data=data)
    last_known = _parse_date(values.pop("last_known"))
    with transaction.atomic():
        cipher = access_cipher(actor=actor, cipher_id=cipher_id, for_update=True)
        if last_known is not None and (cipher.updated_at - last_known).total_seconds() > 1:
            raise STALE
        if values["type"] != cipher.type:
            raise _invalid("type", "The type of an item cannot change.")
        for name, value in values.items():
            setattr(cipher, name, value)
        cipher.save(update_fields=[*values.keys(), "updated_at"])
        account_touch(account=actor)
    return cipher


def cipher_partial_update(*, actor: VaultAccount, cipher_id: Any, folder_id: Any, favorite: Any) -> Cipher:
    """Move to a folder or (un)favourite without re-sending the encrypted contents."""
    cipher = access_cipher(actor=actor, cipher_id=cipher_id)
    cipher.folder = access_folder(actor=actor, folder_id=folder_id) if folder_id else None
    cipher.favorite = bool(favorite)
    with transaction.atomic():
        cipher.save(update_fields=["folder", "favorite", "updated_at"])
        account_touch(account=actor)
    return cipher


def cipher_soft_delete(*, actor: VaultAccount, cipher_id: Any) -> Cipher:
    """Move to the trash; the client can restore it."""
    cipher = access_cipher(actor=actor, cipher_id=cipher_id)
    cipher.deleted_at = timezone.now()
    with transaction.atomic():
        cipher.save(update_fields=["deleted_at", "updated_at"])
        account_touch(account=actor)
    return cipher


def cipher_restore(*, actor: VaultAccount, cipher_id: Any) -> Cipher:
    """Take an item out of the trash."""
    cipher = access_cipher(actor=actor, cipher_id=cipher_id)
    cipher.deleted_at = None
    with transaction.atomic():
        cipher.save(update_fields=["deleted_at", "updated_at"])
        account_touch(account=actor)
    return cipher


def cipher_delete(*, actor: VaultAccount, cipher_id: Any) -> None:
    """Delete for good, with its attachment files."""
    cipher = access_cipher(actor=actor, cipher_id=cipher_id)
    with transaction.atomic():
        attachment_files_delete(account=actor, cipher=cipher)
        cipher.delete()
        account_touch(account=actor)


# Several at once (the apps' multi-select) ----------------------------------------------------------

MAX_BULK = 500


def access_ciphers(*, actor: VaultAccount, cipher_ids: Any) -> list[Cipher]:
    """All of the actor's ciphers named, or a 404 if any is missing or someone else's."""
    if not isinstance(cipher_ids, list) or not 0 < len(cipher_ids) <= MAX_BULK:
        raise _invalid("ids", f"ids must be a list of 1 to {MAX_BULK} ids.")
    wanted = {parse_uuid(cipher_id) for cipher_id in cipher_ids}
    found = list(Cipher.objects.filter(account=actor, public_id__in=wanted))
    if len(found) != len(wanted):
        raise not_found("cipher")
    return found


def ciphers_soft_delete(*, actor: VaultAccount, cipher_ids: Any) -> None:
    """Move several items to the trash; all of them are the actor's, or nothing happens."""
    ciphers = access_ciphers(actor=actor, cipher_ids=cipher_ids)
    now = timezone.now()
    with transaction.atomic():
        Cipher.objects.filter(pk__in=[c.pk for c in ciphers]).update(deleted_at=now, updated_at=now)
        account_touch(account=actor)


def ciphers_restore(*, actor: VaultAccount, cipher_ids: Any) -> list[Cipher]:
    """Take several items out of the trash; all of them are the actor's, or nothing happens."""
    ciphers = access_ciphers(actor=actor, cipher_ids=cipher_ids)
    with transaction.atomic():
        Cipher.objects.filter(pk__in=[c.pk for c in ciphers]).update(deleted_at=None, updated_at=timezone.now())
        account_touch(account=actor)
    return ciphers


def ciphers_delete(*, actor: VaultAccount, cipher_ids: Any) -> None:
    """Delete several items for good, with their files; all are the actor's, or nothing happens."""
    ciphers = access_ciphers(actor=actor, cipher_ids=cipher_ids)
    with transaction.atomic():
        for cipher in ciphers:
            attachment_files_delete(account=actor, cipher=cipher)
        Cipher.objects.filter(pk__in=[c.pk for c in ciphers]).delete()
        account_touch(account=actor)


def ciphers_move(*, actor: VaultAccount, cipher_ids: Any, folder_id: Any) -> None:
    """Put several items into a folder (or none); all are the actor's, or nothing happens."""
    ciphers = access_ciphers(actor=actor, cipher_ids=cipher_ids)
    folder = access_folder(actor=actor, folder_id=folder_id) if folder_id else None
    with transaction.atomic():
        Cipher.objects.filter(pk__in=[c.pk for c in ciphers]).update(folder=folder, updated_at=timezone.now())
        account_touch(account=actor)
