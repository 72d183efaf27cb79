"""Erasing a user's whole Drawer: items, blobs and their bytes, uploads, shares, WebDAV state.
Shared blobs (chat media) go only when nobody else uses or holds them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from sangsaeng.accounts.selectors import User
from sangsaeng.drawer.models import Album, AppPassword, Blob, DavEntry, Folder, Item, Quota, ShareLink, Upload
from sangsaeng.drawer.shared import shared_blobs_of, shared_blobs_release
from sangsaeng.drawer.storage import scratch_dir, storage


def drawer_erase(*, owner: User) -> None:
    """Delete everything the user keeps in the Drawer. Running it again finds nothing to do."""
    prefix = f"/{owner.public_id}/"
    with transaction.atomic():
        for upload in Upload.objects.filter(owner=owner):
            (scratch_dir() / "tus" / f"{upload.public_id}.part").unlink(missing_ok=True)
        Upload.objects.filter(owner=owner).delete()
        ShareLink.objects.filter(owner=owner).delete()
        Album.objects.filter(owner=owner).delete()
        shared = shared_blobs_of(owner_id=owner.pk)
        Item.objects.filter(owner=owner).delete()
        shared_blobs_release(shared)
        keys = list(Blob.objects.filter(owner=owner).values_list("storage_key", flat=True))
        Blob.objects.filter(owner=owner).delete()
        Folder.objects.filter(owner=owner).delete()
        AppPassword.objects.filter(owner=owner).delete()
        Quota.objects.filter(owner=owner).delete()
        DavEntry.objects.filter(Q(key__startswith=prefix) | Q(key__startswith=f"URL2TOKEN:{prefix}")).delete()
        for entry in DavEntry.objects.filter(namespace="lock").exclude(key__startswith="URL2TOKEN:"):
            if isinstance(entry.value, dict) and str(entry.value.get("root", "")).startswith(prefix):
                entry.delete()

        def remove_bytes() -> None:
            for key in keys:
                storage().delete(key)

        transaction.on_commit(remove_bytes)
