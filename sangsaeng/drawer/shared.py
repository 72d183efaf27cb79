"""Shared blobs: bytes stored once for several users, such as a photo sent to a group chat.

A shared blob has no owner and is unique by SHA-256. Each user who should see the file gets an
item of their own pointing at it (`services.shared_item_add`), with their own name, folder,
favourite and trash; deleting that item deletes nothing of anyone else's. The bytes go when the
last item is purged and no app holds them any more: the app that stored them (chat) keeps a
`BlobHold` for as long as it shows the file, and drops it with `shared_file_release`.

Renditions of a shared original (thumbnail, preview, poster, transcode) are shared too, and made
once: processing copies them from another user's finished item for the same bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from sangsaeng.core.errors import not_found
from sangsaeng.drawer.blobs import blob_release, blob_store
from sangsaeng.drawer.media import blob_response
from sangsaeng.drawer.models import Blob, BlobHold, Item

_HOLDER = re.compile(r"^[a-z_]{1,40}\.[a-z_]{1,40}:[A-Za-z0-9-]{1,36}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _holder_check(holder: str) -> str:
    if not _HOLDER.match(holder):
        raise ValueError(f"bad holder {holder!r}: use 'app.thing:<id>'")
    return holder


def shared_blob(sha256: str) -> Blob | None:
    if not _SHA256.match(sha256):
        return None
    return Blob.objects.filter(owner__isnull=True, sha256=sha256).first()


def shared_file_store(*, path: Path, holder: str) -> str:
    """Store the file at `path` once for everyone, or find the copy already stored, and hold it
    for `holder` until `shared_file_release`. Returns its SHA-256, the handle for the other calls.

    The file is sealed and hashed in one pass whether or not the bytes are new, so how long this
    takes doesn't tell the caller whether someone else sent the same file.
    """
    _holder_check(holder)
    for _attempt in range(3):
        blob, _created = blob_store(owner=None, path=path)
        with transaction.atomic():
            # the blob may have lost its last user between the store and here: then store it again
            if Blob.objects.select_for_update().filter(pk=blob.pk).exists():
                BlobHold.objects.get_or_create(blob_id=blob.pk, holder=holder)
                return blob.sha256
    raise RuntimeError("shared blob kept disappearing while being held")


def shared_file_release(*, sha256: str, holder: str) -> None:
    """`holder` no longer needs the bytes; they are deleted once no item uses them either."""
    with transaction.atomic():
        row = (
            BlobHold.objects.select_related("blob")
            .filter(blob__owner__isnull=True, blob__sha256=sha256, holder=_holder_check(holder))
            .first()
        )
        if row is None:
            return
        blob = row.blob
        row.delete()
        blob_release(blob)


def shared_file_response(
    request: HttpRequest, *, sha256: str, content_type: str, name: str, preview: bool = False
) -> HttpResponseBase:
    """Serve shared bytes (Range requests included) to someone the calling app has already let
    see them, such as a member of the conversation they were sent to. `preview` gives the JPEG
    preview of a photo once one was made, else the original."""
    blob = shared_blob(sha256)
    if blob is None:
        raise not_found("file")
    if preview:
        done = Item.objects.filter(blob=blob, preview__isnull=False).select_related("preview").first()
        if done is not None and done.preview is not None:
            return blob_response(request, done.preview, content_type="image/jpeg")
    return blob_response(request, blob, content_type=content_type, filename=name, attachment=True)


def shared_blobs_of(*, owner_id: int) -> list[int]:
    """Ids of the shared blobs this user's items use, as originals or renditions."""
    ids: set[int] = set()
    for field in ("blob", "thumbnail", "preview", "poster", "transcode"):
        ids.update(
            Item.objects.filter(owner_id=owner_id, **{f"{field}__owner__isnull": True, f"{field}__isnull": False})
            .values_list(field, flat=True)
            .distinct()
        )
    return sorted(ids)


def shared_blobs_release(blob_ids: list[int]) -> None:
    """After a user's items are gone: delete the shared blobs nobody else uses or holds."""
    for blob in Blob.objects.filter(pk__in=blob_ids, owner__isnull=True):
        blob_release(blob)
