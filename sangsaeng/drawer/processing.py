"""Turn a stored original into what the library shows: metadata, thumbnail, preview, poster, transcode.

Idempotent: running it twice gives the same renditions (content-addressed, so nothing is stored
twice). A file that can't be read is marked failed with its reason; the original stays stored.
A shared original (chat media, see shared.py) gets shared renditions, made once: the items of the
other users who keep it copy them from the first one finished.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.db import transaction

from sangsaeng.accounts.selectors import User
from sangsaeng.drawer.blobs import blob_release, blob_store, blob_store_bytes, blob_to_file
from sangsaeng.drawer.changes import items_changed
from sangsaeng.drawer.images import MediaError, image_analyse, thumbnail_from_frame
from sangsaeng.drawer.models import Item
from sangsaeng.drawer.places import place_name
from sangsaeng.drawer.selectors import page_cache_clear
from sangsaeng.drawer.storage import scratch_dir
from sangsaeng.drawer.video import video_poster, video_probe, video_transcode

log = logging.getLogger(__name__)


def _renditions_owner(item: Item) -> User | None:
    """Renditions belong to whoever the original belongs to: a user, or nobody (shared)."""
    return item.owner if item.blob.owner_id is not None else None


def _image(item: Item, original: Path) -> list[str]:
    owner = _renditions_owner(item)
    info = image_analyse(original)
    item.width, item.height = info.width, info.height
    item.camera = info.camera
    if info.taken_at:
        item.taken_at = info.taken_at
        item.sort_at = info.taken_at
    if info.latitude is not None and info.longitude is not None:
        item.latitude, item.longitude = info.latitude, info.longitude
        item.place = place_name(info.latitude, info.longitude)
    item.thumbnail = blob_store_bytes(owner=owner, data=info.thumbnail)
    item.preview = blob_store_bytes(owner=owner, data=info.preview)
    return [
        "width",
        "height",
        "camera",
        "taken_at",
        "sort_at",
        "latitude",
        "longitude",
        "place",
        "thumbnail",
        "preview",
    ]


def _video(item: Item, original: Path, work: Path) -> list[str]:
    owner = _renditions_owner(item)
    info = video_probe(original)
    item.width, item.height, item.duration = info.width, info.height, info.duration
    if info.created_at:
        item.taken_at = item.sort_at = info.created_at
    poster = work / "poster.jpg"
    video_poster(original, poster, duration=info.duration)
    data = poster.read_bytes()
    item.poster = blob_store_bytes(owner=owner, data=data)
    item.thumbnail = blob_store_bytes(owner=owner, data=thumbnail_from_frame(data))
    transcoded = work / "720p.mp4"
    video_transcode(original, transcoded)
    item.transcode = blob_store(owner=owner, path=transcoded)[0]
    return ["width", "height", "duration", "taken_at", "sort_at", "poster", "thumbnail", "transcode"]


_COPIED = ("width", "height", "duration", "camera", "taken_at", "latitude", "longitude", "place")
_RENDITIONS = ("thumbnail", "preview", "poster", "transcode")


def _copy_from_sibling(item: Item) -> list[str] | None:
    """For a shared original another user's item already finished: take its metadata and its
    (shared) renditions instead of decoding the file again. None when there is none yet."""
    if item.blob.owner_id is not None:
        return None
    done = Item.objects.filter(blob_id=item.blob_id, kind=item.kind, status=Item.Status.READY).exclude(pk=item.pk)
    sibling = done.first()
    if sibling is None:
        return None
    for field in _COPIED:
        setattr(item, field, getattr(sibling, field))
    for field in _RENDITIONS:
        setattr(item, f"{field}_id", getattr(sibling, f"{field}_id"))
    if sibling.taken_at:
        item.sort_at = sibling.taken_at
    return [*_COPIED, *_RENDITIONS, "sort_at"]


def item_process_now(*, item_id: int) -> str:
    """Process one item; returns its final status."""
    item = Item.objects.select_related("blob", "owner").filter(pk=item_id).first()
    if item is None or item.kind == Item.Kind.FILE:
        if item is not None and item.status != Item.Status.READY:
            item.status = Item.Status.READY
            item.save(update_fields=["status", "updated_at"])
        return item.status if item else "missing"
    old = [b for b in (item.thumbnail, item.preview, item.poster, item.transcode) if b is not None]
    fields = _copy_from_sibling(item)
    if fields is None:
        with tempfile.TemporaryDirectory(dir=scratch_dir()) as tmp:
            work = Path(tmp)
            original = work / "original"
            blob_to_file(item.blob, original)
            try:
                fields = _image(item, original) if item.kind == Item.Kind.IMAGE else _video(item, original, work)
            except MediaError as exc:
                item.status = Item.Status.FAILED
                item.failure_reason = str(exc)
                item.save(update_fields=["status", "failure_reason", "updated_at"])
                log.info("drawer item %s failed: %s", item.public_id, exc)
                return item.status
    item.status = Item.Status.READY
    item.failure_reason = ""
    with transaction.atomic():
        item.save(update_fields=[*fields, "status", "failure_reason", "updated_at"])
        items_changed(owner=item.owner, item_ids=[item.public_id])
        for blob in old:
            blob_release(blob)
    page_cache_clear(owner_id=item.owner_id)
    return item.status
