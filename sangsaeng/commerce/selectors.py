"""Reads: storefronts, product pages, carts, a buyer's orders, a store's inbox and sales."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Avg, Count, Min, Q, QuerySet, Sum

from sangsaeng.commerce.models import Cart, Coupon, Order, Product, Review, Store


def store_for_channel(*, channel_id: Any) -> Store | None:
    return Store.objects.filter(channel_id=channel_id).first()


def store_for_handle(*, handle: str) -> Store | None:
    return Store.objects.filter(handle=handle).first()


def stores_for_channels(*, channel_ids: list[Any]) -> list[Store]:
    return list(Store.objects.filter(channel_id__in=channel_ids))


def storefront_products(*, store: Store, category: str = "") -> QuerySet[Product]:
    products = (
        store.products.filter(status=Product.Status.PUBLIC)
        .prefetch_related("images", "variants")
        .annotate(rating=Avg("reviews__rating"), review_count=Count("reviews", distinct=True))
    )
    if category:
        try:
            products = products.filter(category__public_id=UUID(category))
        except ValueError:
            products = products.none()
    return products


def product_public(*, store: Store, product_id: Any) -> Product | None:
    try:
        product_id = UUID(str(product_id))
    except ValueError:
        return None
    return (
        store.products.filter(status=Product.Status.PUBLIC, public_id=product_id)
        .prefetch_related("images", "variants")
        .first()
    )


def product_by_id(*, product_id: Any) -> Product | None:
    """A public product by id (any store); None for anything that isn't one."""
    try:
        product_id = UUID(str(product_id))
    except ValueError:
        return None
    return (
        Product.objects.filter(status=Product.Status.PUBLIC, public_id=product_id)
        .select_related("store", "category")
        .prefetch_related("images", "variants")
        .first()
    )


def product_reviews(*, product: Product) -> dict[str, Any]:
    reviews = Review.objects.filter(product=product).select_related("author")
    summary = reviews.aggregate(avg=Avg("rating"), count=Count("id"))
    return {"reviews": list(reviews[:50]), "average": summary["avg"], "count": summary["count"]}


def products_for_staff(*, store: Store) -> QuerySet[Product]:
    return store.products.prefetch_related("images", "variants").select_related("category")


def cart_for(*, user: Any, store: Store) -> Cart | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Cart.objects.filter(user=user, store=store).prefetch_related("lines__variant__product__images").first()


def carts_for(*, user: Any) -> list[Cart]:
    return list(
        Cart.objects.filter(user=user, lines__isnull=False)
        .distinct()
        .select_related("store")
        .prefetch_related("lines__variant__product__images")
    )


def orders_for_buyer(*, user: Any) -> QuerySet[Order]:
    return (
        Order.objects.filter(buyer=user)
        .exclude(status=Order.Status.EXPIRED)
        .select_related("store")
        .prefetch_related("lines__review", "returns")
    )


def orders_for_store(*, store: Store, status: str = "") -> QuerySet[Order]:
    orders = store.orders.exclude(status=Order.Status.EXPIRED).select_related("buyer").prefetch_related("lines")
    return orders.filter(status=status) if status else orders


def coupons_for_store(*, store: Store) -> QuerySet[Coupon]:
    return store.coupons.all()


def store_sales(*, store: Store) -> dict[str, int]:
    paid = store.orders.exclude(status__in=(Order.Status.PLACED, Order.Status.EXPIRED, Order.Status.CANCELLED))
    totals = paid.aggregate(gross=Sum("total"), refunded=Sum("refunded_amount"), orders=Count("id"))
    gross, refunded = totals["gross"] or 0, totals["refunded"] or 0
    return {
        "orders": totals["orders"] or 0,
        "gross": gross,
        "refunded": refunded,
        "net": gross - refunded,
        "platform_fee": 0,
    }


def _uuids(public_ids: list[str]) -> list[UUID]:
    out = []
    for value in public_ids:
        try:
            out.append(UUID(str(value)))
        except ValueError:
            continue
    return out


def products_for_search(*, public_ids: list[str] | None = None) -> QuerySet[Product]:
    """Public products with their store and lowest active price (`min_price`), for the search index."""
    query = Product.objects.filter(status=Product.Status.PUBLIC)
    if public_ids is not None:
        query = query.filter(public_id__in=_uuids(public_ids))
    return (
        query.select_related("store", "category")
        .annotate(min_price=Min("variants__price", filter=Q(variants__is_active=True)))
        .order_by("pk")
    )


def products_public_ids(*, public_ids: list[str]) -> set[str]:
    """The ids among these of products anyone may open now (public, i.e. not draft or hidden)."""
    rows = Product.objects.filter(public_id__in=_uuids(public_ids), status=Product.Status.PUBLIC)
    return {str(u) for u in rows.values_list("public_id", flat=True)}


def stores_for_search(*, public_ids: list[str] | None = None) -> QuerySet[Store]:
    query = Store.objects.all() if public_ids is None else Store.objects.filter(public_id__in=_uuids(public_ids))
    return query.annotate(public_products=Count("products", filter=Q(products__status=Product.Status.PUBLIC))).order_by(
        "pk"
    )


def product_ids_of_store(*, store_id: str) -> list[str]:
    uuids = _uuids([store_id])
    rows = Product.objects.filter(store__public_id__in=uuids).values_list("public_id", flat=True)
    return [str(u) for u in rows]
