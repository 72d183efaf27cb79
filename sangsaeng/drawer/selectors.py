"""Reads of the Drawer: the timeline (keyset-paginated), trash, albums, bulk checksum checks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet

from sangsaeng.accounts.selectors import User
from sangsaeng.drawer.models import Album, Blob, Item

PAGE_SIZE = 60


@dataclass
class TimelineFilters:
    kind: str = ""
    place: str = ""
    date_from: date | None = None
    date_to: date | None = None
    favourite: bool = False
    album: Album | None = None


def _filtered(owner: User, filters: TimelineFilters) -> QuerySet[Item]:
    query = Item.objects.filter(owner=owner, trashed_at__isnull=True)
    if filters.kind in (Item.Kind.IMAGE, Item.Kind.VIDEO, Item.Kind.FILE):
        query = query.filter(kind=filters.kind)
    if filters.place:
        query = query.filter(place__icontains=filters.place)
    if filters.date_from:
        query = query.filter(sort_at__date__gte=filters.date_from)
    if filters.date_to:
        query = query.filter(sort_at__date__lte=filters.date_to)
    if filters.favourite:
        query = query.filter(favourite=True)
    if filters.album is not None:
        query = query.filter(albums=filters.album)
    return query


def timeline_page(
    *, owner: User, filters: TimelineFilters, before: tuple[datetime, int] | None = None, limit: int = PAGE_SIZE
) -> tuple[list[Item], tuple[datetime, int] | None]:
    """One page of the timeline, newest first, and the cursor for the next page (None at the end).

    Keyset pagination on (sort_at, id): the 1,000th page costs what the first does.
    """
    query = _filtered(owner, filters)
    if before is not None:
        # the plain range lets the database walk the timeline index; the OR breaks ties on id
        query = query.filter(sort_at__lte=before[0]).filter(Q(sort_at__lt=before[0]) | Q(id__lt=before[1]))
    items = list(query.order_by("-sort_at", "-id")[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    cursor = (items[-1].sort_at, items[-1].pk) if more and items else None
    return items, cursor


def trash_list(*, owner: User) -> list[Item]:
    return list(Item.objects.filter(owner=owner, trashed_at__isnull=False).order_by("-trashed_at")[:500])


def album_list(*, owner: User) -> list[Album]:
    return list(Album.objects.filter(owner=owner).order_by("-created_at"))


def page_cache_clear(*, owner_id: int) -> None:
    """Forget the cached usage and place list the timeline page shows (see views._page)."""
    from django.core.cache import cache

    cache.delete_many([f"drawer:usage:{owner_id}", f"drawer:places:{owner_id}"])


def places_list(*, owner: User) -> list[str]:
    return list(
        Item.objects.filter(owner=owner, trashed_at__isnull=True)
        .exclude(place="")
        .values_list("place", flat=True)
        .distinct()
        .order_by("place")
    )


def checksums_known(*, owner: User, checksums: list[str]) -> dict[str, dict[str, Any]]:
    """Which of these SHA-256s the user's Drawer already holds, with the item that has it."""
    wanted = {c.lower() for c in checksums}
    found: dict[str, dict[str, Any]] = {}
    rows = (
        Item.objects.filter(owner=owner, blob__sha256__in=wanted)
        .order_by("trashed_at", "created_at")
        .values_list("blob__sha256", "public_id", "trashed_at")
    )
    for sha, public_id, trashed_at in rows:
        found.setdefault(sha, {"id": str(public_id), "trashed": trashed_at is not None})
    return found


def blob_known(*, owner: User, sha256: str) -> Blob | None:
    return Blob.objects.filter(owner=owner, sha256=sha256).first()


def _uuids(ids: Iterable[str]) -> list[UUID]:
    out = []
    for value in ids:
        try:
            out.append(UUID(str(value)))
        except ValueError:
            continue
    return out


def items_for_search(*, public_ids: Iterable[str] | None = None) -> Iterator[Item]:
    """Live (not trashed) items with their albums, for the search index; every item when None."""
    query = Item.objects.filter(trashed_at__isnull=True).select_related("owner").prefetch_related("albums")
    if public_ids is not None:
        query = query.filter(public_id__in=_uuids(public_ids))
    yield from query.order_by("id").iterator(chunk_size=500)


def items_owned(*, owner: User, public_ids: Iterable[str]) -> set[str]:
    """Which of these items are the owner's live items."""
    query = Item.objects.filter(owner=owner, trashed_at__isnull=True, public_id__in=_uuids(public_ids))
    return {str(i) for i in query.values_list("public_id", flat=True)}


def albums_for_search(*, public_ids: Iterable[str] | None = None) -> Iterator[Album]:
    query = Album.objects.select_related("owner").prefetch_related("items")
    if public_ids is not None:
        query = query.filter(public_id__in=_uuids(public_ids))
    yield from query.order_by("id").iterator(chunk_size=200)


def albums_owned(*, owner: User, public_ids: Iterable[str]) -> set[str]:
    query = Album.objects.filter(owner=owner, public_id__in=_uuids(public_ids))
    return {str(i) for i in query.values_list("public_id", flat=True)}
