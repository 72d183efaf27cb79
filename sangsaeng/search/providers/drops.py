"""Art drops and their artworks: public pages, found by everyone."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sangsaeng.drops import selectors as drops
from sangsaeng.search.registry import PUBLIC, Doc


class DropProvider:
    label = _("드롭")
    events: dict[str, Any] = {}  # drops emits no events; `search reindex` picks new drops up

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        for drop in drops.drops_for_search(public_ids=None if ids is None else list(ids)):
            yield Doc(
                id=str(drop.public_id),
                kind="drop",
                title=drop.title,
                text=" · ".join(p for p in (drop.description, drop.artwork.title, drop.creator.display_name) if p),
                visibility=PUBLIC,
                date=drop.opens_at,
                price=int(drop.price or drop.start_price or drop.reserve_price) or None,
                url=reverse("drops:drop", args=[drop.public_id]),
                extra={"creator": drop.creator.display_name, "format": drop.format},
            )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return {str(d.public_id) for d in drops.drops_for_search(public_ids=list(ids))}


class ArtworkProvider:
    label = _("작품")
    events: dict[str, Any] = {}

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        for artwork in drops.artworks_for_search(public_ids=None if ids is None else list(ids)):
            yield Doc(
                id=str(artwork.public_id),
                kind="artwork",
                title=artwork.title,
                text=" · ".join(p for p in (artwork.description, artwork.creator.display_name) if p),
                visibility=PUBLIC,
                date=artwork.created_at,
                url=reverse("drops:drop", args=[artwork.drop_public_id]),  # type: ignore[attr-defined]  # annotated
                extra={"creator": artwork.creator.display_name},
            )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return {str(a.public_id) for a in drops.artworks_for_search(public_ids=list(ids))}
