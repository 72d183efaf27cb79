"""The Drawer's public operations: saving files, access guards, favourites, trash, albums.

Other apps save into a user's Drawer with `file_save_from`. Bytes that several users should each
see (chat media) are stored once with `shared_file_store` and given to each with `shared_item_add`
(see shared.py).
"""

from __future__ import annotations

import mimetypes
import os
import re
import tempfile
import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import IO
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.outbox import event_emit
from sangsaeng.drawer.blobs import blob_read, blob_release, blob_store
from sangsaeng.drawer.changes import album_changed, items_changed
from sangsaeng.drawer.models import Album, Blob, Folder, Item, Quota
from sangsaeng.drawer.selectors import page_cache_clear
from sangsaeng.drawer.shared import shared_blob
from sangsaeng.drawer.shared import shared_file_release as shared_file_release
from sangsaeng.drawer.shared import shared_file_response as shared_file_response
from sangsaeng.drawer.shared import shared_file_store as shared_file_store
from sangsaeng.drawer.storage import scratch_dir

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp"}
VIDEO_EXTENSIONS = {".mp4", ".mov", ".m4v", ".webm", ".mkv", ".3gp", ".avi"}


def bad_name(field: str = "name") -> Problem:
    return Problem(
        code="bad_name",
        status=400,
        ko="파일 이름이나 경로가 올바르지 않습니다.",
        en="The file name or path is not allowed.",
        field=field,
    )


def name_clean(name: str, *, field: str = "name") -> str:
    """A single path segment: no separators, no `.`/`..`, no control characters."""
    name = unicodedata.normalize("NFC", name.strip())
    if (
        not name
        or name in (".", "..")
        or len(name) > 255
        or any(ch in name for ch in "/\\\0")
        or any(unicodedata.category(ch) == "Cc" for ch in name)
    ):
        raise bad_name(field)
    return name


def folder_clean(folder: str, *, field: str = "folder") -> str:
    """A folder path relative to the Drawer root, as "a/b"; "" is the root."""
    parts = [part for part in folder.replace("\\", "/").split("/") if part != ""]
    if "\\" in folder:
        raise bad_name(field)
    cleaned = "/".join(name_clean(part, field=field) for part in parts)
    if len(cleaned) > 1000:
        raise bad_name(field)
    return cleaned


def drawer_usage(*, owner: User) -> int:
    """Bytes of originals this user's items use, each distinct blob counted once (trash included).

    A shared blob (chat media) counts for every user who keeps an item of it, as their own copy did.
    """
    total = Blob.objects.filter(items__owner=owner).distinct().aggregate(total=Sum("size"))["total"]
    return int(total or 0)


def quota_limit(*, owner: User) -> int:
    """The user's own limit, or DRAWER_QUOTA_BYTES."""
    row = Quota.objects.filter(owner=owner).first()
    return row.limit_bytes if row is not None else int(settings.DRAWER_QUOTA_BYTES)


def quota_set(*, owner: User, limit_bytes: int | None) -> None:
    """Give a user their own limit (an operator's decision), or None for the default."""
    if limit_bytes is None:
        Quota.objects.filter(owner=owner).delete()
    elif limit_bytes < 0:
        raise Problem(
            code="invalid_field",
            status=422,
            ko="한도는 0 이상입니다.",
            en="The limit must be >= 0.",
            field="limit_bytes",
        )
    else:
        Quota.objects.update_or_create(owner=owner, defaults={"limit_bytes": limit_bytes})
    page_cache_clear(owner_id=owner.pk)


def quota_check(*, owner: User, adding: int) -> None:
    """Refuse with 413 when `adding` more bytes would pass the user's quota."""
    limit = quota_limit(owner=owner)
    used = drawer_usage(owner=owner)
    if used + adding > limit:
        raise Problem(
            code="quota_exceeded",
            status=413,
            ko=f"저장 공간이 부족합니다. {limit:,}바이트 중 {used:,}바이트를 쓰고 있습니다.",
            en=f"Storage quota exceeded: {used:,} of {limit:,} bytes used.",
            extra={"quota": limit, "used": used, "needed": adding},
        )


_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")


def kind_of(name: str, content_type: str) -> tuple[str, str]:
    """(kind, media type) from the name's extension and the client's claim, if it is well-formed."""
    ext = os.path.splitext(name)[1].lower()
    claimed = content_type.split(";", 1)[0].strip().lower()
    claimed = claimed if _MEDIA_TYPE.match(claimed) else ""
    guessed = claimed or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if ext in (".heic", ".heif"):
        guessed = "image/heic"
    if ext in IMAGE_EXTENSIONS or guessed.startswith("image/"):
        return Item.Kind.IMAGE, guessed
    if ext in VIDEO_EXTENSIONS or guessed.startswith("video/"):
        return Item.Kind.VIDEO, guessed
    return Item.Kind.FILE, guessed


def _free_name(owner: User, folder: str, name: str) -> str:
    taken = set(Item.objects.filter(owner=owner, folder=folder, trashed_at__isnull=True).values_list("name", flat=True))
    if name not in taken:
        return name
    stem, ext = os.path.splitext(name)
    n = 2
    while f"{stem} ({n}){ext}" in taken:
        n += 1
    return f"{stem} ({n}){ext}"


def item_create(
    *,
    owner: User,
    path: Path,
    name: str,
    folder: str = "",
    content_type: str = "",
    sha256: str | None = None,
    replace: bool = False,
    source: str = "upload",
) -> Item:
    """Store the file at `path` in the owner's Drawer and schedule its processing.

    Content already stored for this user is not stored again. A name already taken in the folder
    gets a " (2)" suffix, unless `replace` (WebDAV PUT), which swaps the old item's content.
    """
    name = name_clean(name)
    folder = folder_clean(folder)
    size = path.stat().st_size
    if size > quota_limit(owner=owner):
        quota_check(owner=owner, adding=size)  # can never fit: refuse before any work
    kind, content_type = kind_of(name, content_type)
    # Sealing also hashes, so whether these bytes are new is known only afterwards; bytes the
    # user already keeps as an original cost no quota.
    blob, _created = blob_store(owner=owner, path=path, sha256=sha256)
    if not Item.objects.filter(owner=owner, blob=blob).exists():
        try:
            quota_check(owner=owner, adding=size)
        except Problem:
            blob_release(blob)
            raise
    return _item_place(
        owner=owner,
        blob=blob,
        size=size,
        name=name,
        folder=folder,
        kind=kind,
        content_type=content_type,
        replace=replace,
        source=source,
    )


def shared_item_add(
    *, owner: User, sha256: str, name: str, folder: str = "", content_type: str = "", source: str
) -> Item:
    """Give `owner` an item of their own for bytes stored once with `shared_file_store`.

    It counts against their quota (413 `quota_exceeded` when it doesn't fit) unless they already
    keep those bytes; trashing or purging it leaves everyone else's item and the bytes alone.
    """
    name = name_clean(name)
    folder = folder_clean(folder)
    blob = shared_blob(sha256)
    if blob is None:
        raise not_found("file")
    kind, content_type = kind_of(name, content_type)
    if not Item.objects.filter(owner=owner, blob=blob).exists():
        quota_check(owner=owner, adding=blob.size)
    return _item_place(
        owner=owner,
        blob=blob,
        size=blob.size,
        name=name,
        folder=folder,
        kind=kind,
        content_type=content_type,
        replace=False,
        source=source,
    )


def _item_place(
    *,
    owner: User,
    blob: Blob,
    size: int,
    name: str,
    folder: str,
    kind: str,
    content_type: str,
    replace: bool,
    source: str,
) -> Item:
    """Put a stored blob into the owner's Drawer as a new item, or as the content of the item at
    that path when `replace`; schedule its processing."""
    now = timezone.now()
    with transaction.atomic():
        folder_ensure(owner=owner, folder=folder)
        existing = (
            Item.objects.select_for_update()
            .filter(owner=owner, folder=folder, name=name, trashed_at__isnull=True)
            .first()
            if replace
            else None
        )
        if existing is not None:
            old_blob = existing.blob
            existing.blob = blob
            existing.size = size
            existing.content_type = content_type
            existing.kind = kind
            existing.status = Item.Status.PENDING
            existing.failure_reason = ""
            existing.save(
                update_fields=["blob", "size", "content_type", "kind", "status", "failure_reason", "updated_at"]
            )
            if old_blob.pk != blob.pk:
                blob_release(old_blob)
            item = existing
        else:
            item = _item_insert(
                owner=owner,
                blob=blob,
                folder=folder,
                name=name,
                content_type=content_type,
                kind=kind,
                size=size,
                sort_at=now,
            )
        event_emit(
            name="drawer_item_stored",
            payload={"item": str(item.public_id), "owner": str(owner.public_id), "kind": kind, "source": source},
        )
        _enqueue_processing(item)
    page_cache_clear(owner_id=owner.pk)
    return item


def _item_insert(*, owner: User, folder: str, name: str, **fields: object) -> Item:
    """Insert under a free name; a concurrent upload taking the same name makes us try the next."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Item.objects.create(owner=owner, folder=folder, name=_free_name(owner, folder, name), **fields)
        except IntegrityError:
            continue
    raise Problem(
        code="name_conflict", status=409, ko="같은 이름의 파일이 있습니다.", en="The name is taken.", field="name"
    )


def folder_ensure(*, owner: User, folder: str) -> None:
    """Make the folder and its ancestors exist ("" is the root and always does)."""
    parts = folder_clean(folder).split("/") if folder else []
    for depth in range(1, len(parts) + 1):
        Folder.objects.get_or_create(owner=owner, path="/".join(parts[:depth]))


def _under(folder: str) -> Q:
    return Q(folder=folder) | Q(folder__startswith=f"{folder}/")


def folder_delete(*, owner: User, folder: str) -> None:
    """Trash every item in the folder and below, and remove the folders."""
    with transaction.atomic():
        trashed = Item.objects.filter(_under(folder), owner=owner, trashed_at__isnull=True)
        items_changed(owner=owner, item_ids=trashed.values_list("public_id", flat=True))
        trashed.update(trashed_at=timezone.now())
        Folder.objects.filter(Q(path=folder) | Q(path__startswith=f"{folder}/"), owner=owner).delete()


def folder_move(*, owner: User, source: str, target: str) -> None:
    """Rename a folder with everything below it (WebDAV MOVE of a collection)."""
    with transaction.atomic():
        folder_ensure(owner=owner, folder=target.rsplit("/", 1)[0] if "/" in target else "")
        for row in Folder.objects.filter(Q(path=source) | Q(path__startswith=f"{source}/"), owner=owner):
            row.path = target + row.path[len(source) :]
            row.save(update_fields=["path", "updated_at"])
        moved = []
        for item in Item.objects.filter(_under(source), owner=owner):
            item.folder = target + item.folder[len(source) :]
            item.save(update_fields=["folder", "updated_at"])
            moved.append(item.public_id)
        items_changed(owner=owner, item_ids=moved)


def _enqueue_processing(item: Item) -> None:
    def enqueue() -> None:
        from sangsaeng.drawer.tasks import item_process

        item_process.enqueue(item_id=item.pk)

    transaction.on_commit(enqueue)


def file_save_from(
    *, owner: User, name: str, data: bytes | IO[bytes] | Path, content_type: str = "", source: str, folder: str = ""
) -> Item:
    """Save a file that came from elsewhere (a chat attachment, a product image) into a Drawer.

    `data` is bytes, a binary file object, or a path to a file that is left in place.
    """
    fd, tmp = tempfile.mkstemp(dir=scratch_dir())
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            elif isinstance(data, Path):
                with open(data, "rb") as src:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
            else:
                while chunk := data.read(1 << 20):
                    out.write(chunk)
        return item_create(
            owner=owner, path=Path(tmp), name=name, folder=folder, content_type=content_type, source=source
        )
    finally:
        Path(tmp).unlink(missing_ok=True)


def _uuid(id: UUID | str) -> UUID | None:
    try:
        return id if isinstance(id, UUID) else UUID(str(id))
    except ValueError:
        return None


def access_item(*, actor: User, id: UUID | str, trashed: bool | None = False) -> Item:
    """The actor's item, or one 404 for "missing" and "not yours"."""
    public_id = _uuid(id)
    if public_id is None:
        raise not_found("item")
    query = Item.objects.select_related("blob").filter(owner=actor, public_id=public_id)
    if trashed is not None:
        query = query.filter(trashed_at__isnull=not trashed)
    item = query.first()
    if item is None:
        raise not_found("item")
    return item


def item_read(*, actor: User, id: UUID | str, limit: int) -> bytes:
    """The original bytes of one of the actor's items, for an app reading back a file it saved
    (a chat backup); refused past `limit` bytes so nobody loads a video into memory by mistake."""
    item = access_item(actor=actor, id=id)
    if item.size > limit:
        raise Problem(
            code="file_too_large",
            status=413,
            ko="파일이 너무 큽니다.",
            en=f"The file is larger than {limit:,} bytes.",
            extra={"limit": limit},
        )
    return blob_read(item.blob)


def access_album(*, actor: User, id: UUID | str) -> Album:
    public_id = _uuid(id)
    album = Album.objects.filter(owner=actor, public_id=public_id).first() if public_id else None
    if album is None:
        raise not_found("album")
    return album


def item_favourite_set(*, actor: User, id: UUID | str, favourite: bool) -> Item:
    item = access_item(actor=actor, id=id)
    item.favourite = favourite
    item.save(update_fields=["favourite", "updated_at"])
    return item


def item_trash(*, actor: User, id: UUID | str) -> Item:
    """Move to the trash; restorable for DRAWER_TRASH_DAYS days."""
    item = access_item(actor=actor, id=id)
    with transaction.atomic():
        item.trashed_at = timezone.now()
        item.save(update_fields=["trashed_at", "updated_at"])
        items_changed(owner=actor, item_ids=[item.public_id])
    return item


def item_restore(*, actor: User, id: UUID | str) -> Item:
    item = access_item(actor=actor, id=id, trashed=True)
    item.name = _free_name(actor, item.folder, item.name)
    item.trashed_at = None
    with transaction.atomic():
        item.save(update_fields=["trashed_at", "name", "updated_at"])
        items_changed(owner=actor, item_ids=[item.public_id])
    return item


def item_purge(*, item: Item) -> None:
    """Delete an item for good, and its blobs when nothing else uses them."""
    with transaction.atomic():
        blobs = [b for b in (item.blob, item.thumbnail, item.preview, item.poster, item.transcode) if b is not None]
        items_changed(owner=item.owner, item_ids=[item.public_id])
        item.delete()
        for blob in blobs:
            blob_release(blob)


def trash_purge_expired() -> int:
    cutoff = timezone.now() - timedelta(days=int(settings.DRAWER_TRASH_DAYS))
    count = 0
    for item in Item.objects.filter(trashed_at__lt=cutoff).select_related(
        "blob", "thumbnail", "preview", "poster", "transcode"
    ):
        item_purge(item=item)
        count += 1
    return count


def album_create(*, actor: User, title: str) -> Album:
    title = title.strip()[:100]
    if not title:
        raise Problem(
            code="missing_field", status=422, ko="앨범 이름을 입력하세요.", en="Title is required.", field="title"
        )
    with transaction.atomic():
        album = Album.objects.create(owner=actor, title=title)
        album_changed(owner=actor, album_id=album.public_id)
    return album


def album_item_add(*, actor: User, album_id: UUID | str, item_id: UUID | str) -> Album:
    album = access_album(actor=actor, id=album_id)
    item = access_item(actor=actor, id=item_id)
    with transaction.atomic():
        album.items.add(item)
        album_changed(owner=actor, album_id=album.public_id)
        items_changed(owner=actor, item_ids=[item.public_id])
    return album


def album_item_remove(*, actor: User, album_id: UUID | str, item_id: UUID | str) -> Album:
    album = access_album(actor=actor, id=album_id)
    item = access_item(actor=actor, id=item_id)
    with transaction.atomic():
        album.items.remove(item)
        album_changed(owner=actor, album_id=album.public_id)
        items_changed(owner=actor, item_ids=[item.public_id])
    return album
