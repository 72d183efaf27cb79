"""Stores and their public products (drafts and hidden products never), with the lowest price."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sangsaeng.commerce import selectors as commerce
from sangsaeng.search.registry import PUBLIC, Doc


class StoreProvider:
    label = _("상점")
    events = {"commerce_store_changed": lambda payload: [payload.get("store", "")]}

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        for store in commerce.stores_for_search(public_ids=None if ids is None else list(ids)):
            yield Doc(
                id=str(store.public_id),
                kind="store",
                title=store.name,
                text=store.description,
                visibility=PUBLIC,
                date=store.created_at,
                url=reverse("commerce:storefront", args=[store.handle]),
                extra={"products": store.public_products},  # type: ignore[attr-defined]  # annotated by the selector
            )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return {str(s.public_id) for s in commerce.stores_for_search(public_ids=list(ids))}


class ProductProvider:
    label = _("상품")
    events = {
        "commerce_product_changed": lambda payload: [payload.get("product", "")],
        "commerce_store_changed": lambda payload: commerce.product_ids_of_store(store_id=payload.get("store", "")),
    }

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        for product in commerce.products_for_search(public_ids=None if ids is None else list(ids)):
            category = product.category.name if product.category else ""
            yield Doc(
                id=str(product.public_id),
                kind="product",
                title=product.title,
                text=" · ".join(p for p in (product.description, product.store.name, category) if p),
                visibility=PUBLIC,
                date=product.created_at,
                price=product.min_price,  # type: ignore[attr-defined]  # annotated by the selector
                url=reverse("commerce:product", args=[product.store.handle, product.public_id]),
                extra={"store": product.store.name},
            )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return commerce.products_public_ids(public_ids=list(ids))
