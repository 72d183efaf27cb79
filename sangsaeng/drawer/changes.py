"""Domain events for what other apps keep copies of (the search index): an item's or an album's
searchable content changed, or it was trashed, restored or deleted. Emitted in the caller's
transaction; handlers re-read the current state, so one event per change is enough."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sangsaeng.core.outbox import event_emit


def items_changed(*, owner: Any, item_ids: Iterable[Any]) -> None:
    ids = [str(i) for i in item_ids]
    if ids:
        event_emit(name="drawer_item_changed", payload={"owner": str(owner.public_id), "items": ids})


def album_changed(*, owner: Any, album_id: Any) -> None:
    event_emit(name="drawer_album_changed", payload={"owner": str(owner.public_id), "album": str(album_id)})
