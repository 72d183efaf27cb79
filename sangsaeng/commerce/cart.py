"""Carts: one per buyer per store. A line remembers the price the buyer saw, so checkout can
refuse a cart whose prices moved instead of charging a number the buyer never agreed to."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction

from sangsaeng.commerce import events
from sangsaeng.commerce.models import Cart, CartLine, Product, Store, Variant
from sangsaeng.commerce.validation import MAX_QUANTITY, quantity_clean
from sangsaeng.core.errors import Problem, not_found


def _uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (ValueError, TypeError):
        return None


def variant_for_sale(*, variant_id: Any) -> Variant:
    """A variant a buyer may buy: active, of a public product. Anything else is an unknown variant."""
    public_id = _uuid(variant_id)
    variant = (
        Variant.objects.select_related("product__store")
        .filter(public_id=public_id, is_active=True, product__status=Product.Status.PUBLIC)
        .first()
        if public_id
        else None
    )
    if variant is None:
        raise Problem(
            code="unknown_variant",
            status=404,
            ko="판매 중인 상품 옵션을 찾을 수 없습니다.",
            en="No variant on sale has this id.",
            field="variant_id",
        )
    return variant


def cart_get_or_create(*, user: Any, store: Store) -> Cart:
    try:
        with transaction.atomic():
            cart, _ = Cart.objects.get_or_create(user=user, store=store)
    except IntegrityError:
        cart = Cart.objects.get(user=user, store=store)
    return cart


def access_cart(*, actor: Any, cart_id: Any) -> Cart:
    public_id = _uuid(cart_id)
    cart = Cart.objects.select_related("store").filter(public_id=public_id, user=actor).first() if public_id else None
    if cart is None or not getattr(actor, "is_authenticated", False):
        raise not_found("cart")
    return cart


def cart_add(*, user: Any, variant_id: Any, quantity: Any, session_key: str | None = None) -> CartLine:
    """Add to (or increase in) the buyer's cart for the variant's store."""
    quantity = quantity_clean(quantity)
    variant = variant_for_sale(variant_id=variant_id)
    store = variant.product.store
    if variant.stock < quantity:
        raise Problem(
            code="out_of_stock",
            status=409,
            ko="재고가 부족합니다.",
            en="Not enough stock.",
            field="quantity",
            extra={"available": variant.stock},
        )
    with transaction.atomic():
        cart = cart_get_or_create(user=user, store=store)
        line = CartLine.objects.select_for_update().filter(cart=cart, variant=variant).first()
        if line is None:
            line = CartLine.objects.create(cart=cart, variant=variant, quantity=quantity, unit_price_seen=variant.price)
        else:
            line.quantity = min(MAX_QUANTITY, line.quantity + quantity)
            line.unit_price_seen = variant.price
            line.save(update_fields=["quantity", "unit_price_seen", "updated_at"])
        cart.save(update_fields=["updated_at"])
        events.emit(
            events.CART_ADDED,
            channel_id=store.channel_id,
            who=events.visitor(user=user, session_key=session_key),
            product_id=str(variant.product.public_id),
            variant_id=str(variant.public_id),
            quantity=quantity,
            amount=variant.price * quantity,
        )
    return line


def access_cart_line(*, actor: Any, line_id: Any) -> CartLine:
    public_id = _uuid(line_id)
    line = (
        CartLine.objects.select_related("cart", "variant").filter(public_id=public_id, cart__user=actor).first()
        if public_id and getattr(actor, "is_authenticated", False)
        else None
    )
    if line is None:
        raise not_found("cart line")
    return line


def cart_line_update(*, actor: Any, line_id: Any, quantity: Any) -> CartLine:
    line = access_cart_line(actor=actor, line_id=line_id)
    line.quantity = quantity_clean(quantity)
    line.unit_price_seen = line.variant.price
    line.save(update_fields=["quantity", "unit_price_seen", "updated_at"])
    return line


def cart_line_remove(*, actor: Any, line_id: Any) -> None:
    access_cart_line(actor=actor, line_id=line_id).delete()
