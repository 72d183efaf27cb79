"""The chat cards commerce registers with messaging: a product to share, an order to follow."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from sangsaeng.core.errors import Problem


def _product_validate(payload: dict[str, Any], actor: Any) -> dict[str, Any]:
    """Anyone may share a public product: the stored card is built from the product, not the client."""
    from sangsaeng.commerce import selectors

    product = selectors.product_by_id(product_id=payload.get("product_id")) if set(payload) == {"product_id"} else None
    if product is None:
        raise Problem(
            code="invalid_card",
            status=422,
            ko="공유할 상품을 찾을 수 없습니다.",
            en='card must be {"product_id": <a public product id>}.',
            field="card",
        )
    variant = product.variants.filter(is_active=True).first()
    image = product.images.first()
    return {
        "product_id": str(product.public_id),
        "title": product.title,
        "store": product.store.name,
        "price": variant.price if variant else None,
        "image": image.url if image else "",
        "url": f"/store/{product.store.handle}/p/{product.public_id}/",
    }


def _order_validate(payload: dict[str, Any], actor: Any) -> dict[str, Any]:
    """A buyer may share their own order into a chat (asking the store about it)."""
    from sangsaeng.commerce.notify import order_card
    from sangsaeng.commerce.orders import access_order

    if set(payload) != {"order_id"}:
        raise Problem(
            code="invalid_card", status=422, ko="주문을 고르세요.", en='card must be {"order_id": <id>}.', field="card"
        )
    card = order_card(access_order(actor=actor, order_id=payload["order_id"]))
    card.pop("kind")
    return card


def cards_register() -> None:
    if not apps.is_installed("sangsaeng.messaging"):
        return
    from sangsaeng.messaging.services import card_type_register

    card_type_register(
        "product",
        validate=_product_validate,
        label_ko="상품",
        label_en="Product",
        template="commerce/cards/product.html",
    )
    card_type_register(
        "order", validate=_order_validate, label_ko="주문", label_en="Order", template="commerce/cards/order.html"
    )
