"""Document providers: how an app makes its content searchable.

An app registers one provider per kind of document, usually in its AppConfig.ready:

    from sangsaeng.search.registry import Doc, provider_register

    class ProductProvider:
        label = _("상품")
        # outbox event -> the ids of the documents it changed; they are re-read and re-indexed
        events = {"product_changed": lambda payload: [payload["product"]]}

        def documents(self, ids):            # ids=None: everything (reindex)
            for p in selectors.products_for_search(ids=ids):
                yield Doc(id=str(p.public_id), kind="product", title=p.name, text=p.description,
                          owner_id=p.store_owner_id, visibility="public" if p.listed else "private",
                          date=p.created_at, price=p.price, url=p.url, extra={"store": p.store_name})

        def visible(self, *, user, ids):     # the final check on every result
            return set(selectors.products_visible(user=user, ids=ids))

    provider_register("product", ProductProvider())

A document the provider no longer yields for an id (deleted, trashed, unpublished) is removed
from the index. `visibility="public"` documents are found by everyone; private ones only by
`owner_id` and the users in `audience` (a chat's members), filtered in SQL and then confirmed by
`visible()`, so nobody finds what they cannot open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.utils.functional import Promise

from sangsaeng.core.outbox import handles

PUBLIC, PRIVATE = "public", "private"


@dataclass(frozen=True)
class Doc:
    """One searchable document as a provider describes it."""

    id: str
    kind: str
    title: str
    text: str = ""
    owner_id: int | None = None
    visibility: str = PRIVATE
    audience: tuple[int, ...] = ()
    date: datetime | None = None
    price: int | None = None
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Provider(Protocol):
    @property
    def label(self) -> str | Promise: ...  # the kind's name in filters ("상품")

    @property
    def events(self) -> Mapping[str, Callable[[dict[str, Any]], Iterable[str]]]: ...

    def documents(self, ids: Sequence[str] | None) -> Iterable[Doc]: ...

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]: ...


_PROVIDERS: dict[str, Provider] = {}


def _event_handler(kind: str, event: str, ids_of: Callable[[dict[str, Any]], Iterable[str]]) -> None:
    def refresh(payload: dict[str, Any]) -> None:
        from sangsaeng.search.indexing import index_refresh

        ids = [str(i) for i in ids_of(payload) if i]
        if ids:
            index_refresh(kind=kind, ids=ids)

    # the outbox remembers finished handlers by dotted name, so each (kind, event) needs its own
    refresh.__qualname__ = f"refresh_{kind}_on_{event}"
    handles(event)(refresh)


def provider_register(kind: str, provider: Provider) -> None:
    """Make `kind` documents searchable and keep them current from the provider's events."""
    first = kind not in _PROVIDERS
    _PROVIDERS[kind] = provider
    if first:
        for event, ids_of in provider.events.items():
            _event_handler(kind, event, ids_of)


def provider_unregister(kind: str) -> None:
    """For tests: forget a provider (its event handlers stay registered but find no provider)."""
    _PROVIDERS.pop(kind, None)


def provider_get(kind: str) -> Provider | None:
    return _PROVIDERS.get(kind)


def providers() -> dict[str, Provider]:
    return dict(_PROVIDERS)
