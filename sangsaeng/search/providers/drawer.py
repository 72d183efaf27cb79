"""The user's own Drawer: photos, videos and files (name, folder, place, albums, camera) and albums."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sangsaeng.drawer import selectors as drawer
from sangsaeng.search.registry import PRIVATE, Doc

KIND_WORDS = {"image": "사진", "video": "동영상", "file": "파일"}


class MediaProvider:
    label = _("사진·파일")
    events = {
        "drawer_item_stored": lambda payload: [payload.get("item", "")],
        "drawer_item_changed": lambda payload: list(payload.get("items", [])),
    }

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        for item in drawer.items_for_search(public_ids=ids):
            albums = [a.title for a in item.albums.all()]
            parts = [item.place, item.folder.replace("/", " "), *albums, KIND_WORDS.get(item.kind, ""), item.camera]
            yield Doc(
                id=str(item.public_id),
                kind="media",
                title=item.name,
                text=" · ".join(p for p in parts if p),
                owner_id=item.owner_id,
                visibility=PRIVATE,
                date=item.taken_at or item.sort_at,
                url=reverse("drawer:item", args=[item.public_id]),
                extra={"media": item.kind, "place": item.place, "albums": albums},
            )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return drawer.items_owned(owner=user, public_ids=ids) if user is not None else set()


class AlbumProvider:
    label = _("앨범")
    events = {"drawer_album_changed": lambda payload: [payload.get("album", "")]}

    def documents(self, ids: Sequence[str] | None) -> Iterable[Doc]:
        for album in drawer.albums_for_search(public_ids=ids):
            items = [i for i in album.items.all() if i.trashed_at is None]
            places = sorted({i.place for i in items if i.place})
            yield Doc(
                id=str(album.public_id),
                kind="album",
                title=album.title,
                text=" · ".join([*places, *(i.name for i in items[:50])]),
                owner_id=album.owner_id,
                visibility=PRIVATE,
                date=album.created_at,
                url=reverse("drawer:album", args=[album.public_id]),
                extra={"items": len(items)},
            )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return drawer.albums_owned(owner=user, public_ids=ids) if user is not None else set()
