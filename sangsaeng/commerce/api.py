"""/api/v1/commerce: stores, catalogue, carts, one-tap checkout, orders, returns, reviews.

Mutating calls that clients retry (checkout, cancel, refunds, shipping) take an `Idempotency-Key`
header: the platform middleware replays the first answer, and checkout also keys the order on it,
so a double tap can never charge twice.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status, UploadedFile

from sangsaeng.commerce import selectors, services
from sangsaeng.commerce.api_schemas import (
    CommerceBulkPrepareIn,
    CommerceBulkShipIn,
    CommerceCancelIn,
    CommerceCardConfirmIn,
    CommerceCartLineIn,
    CommerceCartLineOut,
    CommerceCartLinePatch,
    CommerceCartOut,
    CommerceCategoryIn,
    CommerceCategoryOut,
    CommerceCheckoutIn,
    CommerceCouponIn,
    CommerceCouponOut,
    CommerceDecideIn,
    CommerceOrderOut,
    CommerceProductIn,
    CommerceProductOut,
    CommerceProductPatch,
    CommerceQuoteIn,
    CommerceQuoteOut,
    CommerceRefundIn,
    CommerceReturnIn,
    CommerceReturnOut,
    CommerceReviewIn,
    CommerceReviewOut,
    CommerceShipIn,
    CommerceStoreIn,
    CommerceStoreOut,
    CommerceStorePatch,
    CommerceVariantIn,
    CommerceVariantOut,
    CommerceVariantPatch,
    coupon_out,
    order_out,
    product_out,
    store_out,
    variant_out,
)
from sangsaeng.commerce.models import Cart, ReturnRequest
from sangsaeng.core.errors import Problem, not_found

router = Router(tags=["commerce"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _key(request: HttpRequest) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not key:
        raise Problem(
            code="idempotency_key_required",
            status=400,
            ko="Idempotency-Key 헤더가 필요합니다.",
            en="This request needs an Idempotency-Key header.",
            field="Idempotency-Key",
        )
    return key


# Stores and catalogue (channel staff) ---------------------------------------------------------


@router.post("/stores", response={201: CommerceStoreOut}, summary="Open the channel's store (free, one per channel)")
def store_open(request: HttpRequest, payload: CommerceStoreIn) -> Status[CommerceStoreOut]:
    store = services.store_open(
        actor=_user(request), channel_id=payload.channel_id, name=payload.name, description=payload.description
    )
    return Status(201, store_out(store))


@router.get("/storefront/{handle}", response=CommerceStoreOut, auth=None, summary="A store, by its channel handle")
def store_get(request: HttpRequest, handle: str) -> CommerceStoreOut:
    return store_out(services.access_store_public(handle=handle[:60]))


@router.get(
    "/storefront/{handle}/products",
    response=list[CommerceProductOut],
    auth=None,
    summary="The storefront: public products",
)
def storefront(request: HttpRequest, handle: str) -> list[CommerceProductOut]:
    store = services.access_store_public(handle=handle[:60])
    return [product_out(p) for p in selectors.storefront_products(store=store).select_related("store", "category")]


@router.patch("/stores/{store_id}/settings", response=CommerceStoreOut, summary="Edit the store")
def store_update(request: HttpRequest, store_id: UUID, payload: CommerceStorePatch) -> CommerceStoreOut:
    data = payload.model_dump(exclude_unset=True)
    return store_out(services.store_update(actor=_user(request), store_id=store_id, data=data))


@router.get(
    "/stores/{store_id}/admin/products",
    response=list[CommerceProductOut],
    summary="Every product of my store, drafts and hidden ones included",
)
def products_admin(request: HttpRequest, store_id: UUID) -> list[CommerceProductOut]:
    store = services.access_store_staff(actor=_user(request), store_id=store_id)
    return [product_out(p) for p in selectors.products_for_staff(store=store)]


@router.post("/stores/{store_id}/products", response={201: CommerceProductOut}, summary="Add a product")
def product_create(request: HttpRequest, store_id: UUID, payload: CommerceProductIn) -> Status[CommerceProductOut]:
    data = payload.model_dump()
    product = services.product_create(actor=_user(request), store_id=store_id, data=data)
    return Status(201, product_out(product))


@router.get("/products/{product_id}", response=CommerceProductOut, auth=None, summary="A public product")
def product_get(request: HttpRequest, product_id: UUID) -> CommerceProductOut:
    product = selectors.product_by_id(product_id=product_id)
    if product is None:
        raise not_found("product")
    return product_out(product)


@router.patch("/products/{product_id}", response=CommerceProductOut, summary="Edit a product")
def product_update(request: HttpRequest, product_id: UUID, payload: CommerceProductPatch) -> CommerceProductOut:
    data = payload.model_dump(exclude_unset=True)
    return product_out(services.product_update(actor=_user(request), product_id=product_id, data=data))


@router.post(
    "/products/{product_id}/images",
    response={201: CommerceProductOut},
    summary="Upload a product photo (kept in your Drawer)",
)
def product_image(request: HttpRequest, product_id: UUID, image: File[UploadedFile]) -> Status[CommerceProductOut]:
    data = image.read(services.MAX_IMAGE_BYTES + 1)
    services.product_image_add(actor=_user(request), product_id=product_id, data=data, name=image.name or "")
    return Status(201, product_out(services.access_product_staff(actor=_user(request), product_id=product_id)))


@router.post("/products/{product_id}/variants", response={201: CommerceVariantOut}, summary="Add a variant")
def variant_add(request: HttpRequest, product_id: UUID, payload: CommerceVariantIn) -> Status[CommerceVariantOut]:
    return Status(
        201, variant_out(services.variant_add(actor=_user(request), product_id=product_id, data=payload.model_dump()))
    )


@router.patch("/variants/{variant_id}", response=CommerceVariantOut, summary="Price, stock or availability")
def variant_update(request: HttpRequest, variant_id: UUID, payload: CommerceVariantPatch) -> CommerceVariantOut:
    data = payload.model_dump(exclude_unset=True)
    return variant_out(services.variant_update(actor=_user(request), variant_id=variant_id, data=data))


@router.post("/stores/{store_id}/categories", response={201: CommerceCategoryOut}, summary="Add a category")
def category_create(request: HttpRequest, store_id: UUID, payload: CommerceCategoryIn) -> Status[CommerceCategoryOut]:
    category = services.category_create(actor=_user(request), store_id=store_id, name=payload.name)
    return Status(201, CommerceCategoryOut(id=category.public_id, name=category.name))


@router.get("/stores/{store_id}/coupons", response=list[CommerceCouponOut], summary="My store's coupons")
def coupon_list(request: HttpRequest, store_id: UUID) -> list[CommerceCouponOut]:
    store = services.access_store_staff(actor=_user(request), store_id=store_id)
    return [coupon_out(c) for c in selectors.coupons_for_store(store=store)]


@router.post("/stores/{store_id}/coupons", response={201: CommerceCouponOut}, summary="Issue a coupon")
def coupon_create(request: HttpRequest, store_id: UUID, payload: CommerceCouponIn) -> Status[CommerceCouponOut]:
    coupon = services.coupon_create(actor=_user(request), store_id=store_id, **payload.model_dump())
    return Status(201, coupon_out(coupon))


# Cart and checkout (buyers) ---------------------------------------------------------------------


def _cart_out(cart: Cart) -> CommerceCartOut:
    lines = [
        CommerceCartLineOut(
            id=line.public_id,
            variant_id=line.variant.public_id,
            title=line.variant.product.title,
            option_label=line.variant.label,
            quantity=line.quantity,
            unit_price_seen=line.unit_price_seen,
            unit_price_now=line.variant.price,
            stock=line.variant.stock,
        )
        for line in cart.lines.all()
    ]
    return CommerceCartOut(
        id=cart.public_id,
        store=store_out(cart.store),
        lines=lines,
        subtotal=sum(line.unit_price_now * line.quantity for line in lines),
    )


@router.get("/cart", response=list[CommerceCartOut], summary="My carts, one per store")
def cart_list(request: HttpRequest) -> list[CommerceCartOut]:
    return [_cart_out(cart) for cart in selectors.carts_for(user=_user(request))]


@router.post("/cart/lines", response={201: CommerceCartOut}, summary="Add to cart")
def cart_add(request: HttpRequest, payload: CommerceCartLineIn) -> Status[CommerceCartOut]:
    line = services.cart_add(user=_user(request), variant_id=payload.variant_id, quantity=payload.quantity)
    return Status(201, _cart_out(services.access_cart(actor=_user(request), cart_id=line.cart.public_id)))


@router.patch("/cart/lines/{line_id}", response=CommerceCartOut, summary="Change a quantity")
def cart_line_update(request: HttpRequest, line_id: UUID, payload: CommerceCartLinePatch) -> CommerceCartOut:
    line = services.cart_line_update(actor=_user(request), line_id=line_id, quantity=payload.quantity)
    return _cart_out(services.access_cart(actor=_user(request), cart_id=line.cart.public_id))


@router.delete("/cart/lines/{line_id}", response={204: None}, summary="Remove from cart")
def cart_line_remove(request: HttpRequest, line_id: UUID) -> Status[None]:
    services.cart_line_remove(actor=_user(request), line_id=line_id)
    return Status(204, None)


@router.get(
    "/storefront/{handle}/age-challenge",
    response=dict[str, str],
    summary="A nonce and audience for an over-19 presentation (age-restricted products)",
)
def age_challenge(request: HttpRequest, handle: str) -> dict[str, str]:
    return services.age_challenge(store=services.access_store_public(handle=handle[:60]))


def _lines(payload: Any) -> list[dict[str, Any]] | None:
    if payload.lines is None:
        return None
    return [
        {"variant_id": str(line.variant_id), "quantity": line.quantity, "unit_price": line.unit_price}
        for line in payload.lines
    ]


@router.post("/storefront/{handle}/quote", response=CommerceQuoteOut, summary="Price a cart or lines (no stock taken)")
def quote(request: HttpRequest, handle: str, payload: CommerceQuoteIn) -> CommerceQuoteOut:
    store = services.access_store_public(handle=handle[:60])
    q = services.checkout_quote(
        buyer=_user(request), store=store, lines=_lines(payload), coupon_code=payload.coupon_code
    )
    return CommerceQuoteOut(
        subtotal=q.subtotal,
        shipping_fee=q.shipping_fee,
        discount=q.discount,
        total=q.total,
        age_restricted=any(v.product.age_restricted for v, _q in q.lines),
    )


@router.post(
    "/storefront/{handle}/checkout",
    response={201: CommerceOrderOut},
    summary="One-tap checkout: default address and Pay; needs an Idempotency-Key",
)
def checkout(request: HttpRequest, handle: str, payload: CommerceCheckoutIn) -> Status[CommerceOrderOut]:
    store = services.access_store_public(handle=handle[:60])
    order = services.checkout(
        buyer=_user(request),
        store=store,
        idempotency_key=_key(request),
        payment_method=payload.payment_method,
        lines=_lines(payload),
        coupon_code=payload.coupon_code,
        address=payload.address.model_dump() if payload.address else None,
        expected_total=payload.expected_total,
        age_proof=payload.age_proof.model_dump() if payload.age_proof else None,
        session_key=request.session.session_key if hasattr(request, "session") else None,
    )
    return Status(201, order_out(order))


# Orders (buyers) ----------------------------------------------------------------------------------


@router.get("/orders", response=list[CommerceOrderOut], summary="My orders")
def order_list(request: HttpRequest) -> list[CommerceOrderOut]:
    return [order_out(o) for o in selectors.orders_for_buyer(user=_user(request))[:100]]


@router.get("/orders/{order_id}", response=CommerceOrderOut, summary="One of my orders")
def order_get(request: HttpRequest, order_id: UUID) -> CommerceOrderOut:
    return order_out(services.access_order(actor=_user(request), order_id=order_id))


@router.post(
    "/orders/{order_id}/payment/confirm",
    response=CommerceOrderOut,
    summary="The PG's success callback for a card order (a replay moves no money)",
)
def order_payment_confirm(request: HttpRequest, order_id: UUID, payload: CommerceCardConfirmIn) -> CommerceOrderOut:
    return order_out(
        services.order_payment_confirm(
            actor=_user(request), order_id=order_id, payment_key=payload.payment_key, amount=payload.amount
        )
    )


@router.post("/orders/{order_id}/cancel", response=CommerceOrderOut, summary="Cancel before shipping (refunds)")
def order_cancel(request: HttpRequest, order_id: UUID, payload: CommerceCancelIn) -> CommerceOrderOut:
    return order_out(services.order_cancel(actor=_user(request), order_id=order_id, reason=payload.reason))


@router.post("/orders/{order_id}/confirm", response=CommerceOrderOut, summary="Confirm the purchase (구매 확정)")
def order_confirm(request: HttpRequest, order_id: UUID) -> CommerceOrderOut:
    return order_out(services.order_confirm(actor=_user(request), order_id=order_id))


def _return_out(r: ReturnRequest) -> CommerceReturnOut:
    return CommerceReturnOut(
        id=r.public_id, order_id=r.order.public_id, reason=r.reason, detail=r.detail, amount=r.amount, status=r.status
    )


@router.post("/orders/{order_id}/returns", response={201: CommerceReturnOut}, summary="Ask for a return or refund")
def return_request(request: HttpRequest, order_id: UUID, payload: CommerceReturnIn) -> Status[CommerceReturnOut]:
    r = services.return_request(
        actor=_user(request), order_id=order_id, reason=payload.reason, detail=payload.detail, amount=payload.amount
    )
    return Status(201, _return_out(r))


@router.post("/order-lines/{line_id}/review", response={201: CommerceReviewOut}, summary="Review a delivered item")
def review_create(request: HttpRequest, line_id: UUID, payload: CommerceReviewIn) -> Status[CommerceReviewOut]:
    review = services.review_create(actor=_user(request), line_id=line_id, rating=payload.rating, body=payload.body)
    return Status(
        201,
        CommerceReviewOut(id=review.public_id, rating=review.rating, body=review.body, created_at=review.created_at),
    )


# Order inbox (channel staff) ----------------------------------------------------------------------


@router.get("/stores/{store_id}/orders", response=list[CommerceOrderOut], summary="The store's order inbox")
def store_orders(request: HttpRequest, store_id: UUID, status: str = "") -> list[CommerceOrderOut]:
    store = services.access_store_staff(actor=_user(request), store_id=store_id)
    return [order_out(o) for o in selectors.orders_for_store(store=store, status=status[:10])[:500]]


@router.get("/stores/{store_id}/orders.csv", summary="Export the store's orders as CSV")
def store_orders_csv(request: HttpRequest, store_id: UUID) -> HttpResponse:
    text = services.orders_csv(actor=_user(request), store_id=store_id)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response


@router.post("/stores/{store_id}/orders/bulk-prepare", response=dict[str, str], summary="Mark paid orders preparing")
def bulk_prepare(request: HttpRequest, store_id: UUID, payload: CommerceBulkPrepareIn) -> dict[str, str]:
    return services.orders_bulk_prepare(actor=_user(request), store_id=store_id, order_ids=payload.order_ids)


@router.post(
    "/stores/{store_id}/orders/bulk-ship",
    response=list[dict[str, str]],
    summary="Ship orders from a CSV of order_number,courier,tracking_number",
)
def bulk_ship(request: HttpRequest, store_id: UUID, payload: CommerceBulkShipIn) -> list[dict[str, str]]:
    return services.orders_bulk_ship_csv(actor=_user(request), store_id=store_id, text=payload.csv)


@router.post("/orders/{order_id}/prepare", response=CommerceOrderOut, summary="Mark preparing")
def order_prepare(request: HttpRequest, order_id: UUID) -> CommerceOrderOut:
    return order_out(services.order_prepare(actor=_user(request), order_id=order_id))


@router.post("/orders/{order_id}/ship", response=CommerceOrderOut, summary="Ship with courier and tracking number")
def order_ship(request: HttpRequest, order_id: UUID, payload: CommerceShipIn) -> CommerceOrderOut:
    return order_out(
        services.order_ship(
            actor=_user(request),
            order_id=order_id,
            courier=payload.courier,
            tracking_number=payload.tracking_number,
            serials=payload.serials,
        )
    )


@router.post("/orders/{order_id}/deliver", response=CommerceOrderOut, summary="Mark delivered")
def order_deliver(request: HttpRequest, order_id: UUID) -> CommerceOrderOut:
    return order_out(services.order_deliver(actor=_user(request), order_id=order_id))


@router.post("/orders/{order_id}/store-cancel", response=CommerceOrderOut, summary="Cancel as the store (refunds)")
def order_store_cancel(request: HttpRequest, order_id: UUID, payload: CommerceCancelIn) -> CommerceOrderOut:
    return order_out(
        services.order_cancel(actor=_user(request), order_id=order_id, reason=payload.reason, as_staff=True)
    )


@router.post(
    "/orders/{order_id}/refund", response=CommerceOrderOut, summary="Refund part of an order; needs an Idempotency-Key"
)
def order_refund(request: HttpRequest, order_id: UUID, payload: CommerceRefundIn) -> CommerceOrderOut:
    return order_out(
        services.order_refund_partial(
            actor=_user(request), order_id=order_id, amount=payload.amount, reason=payload.reason, key=_key(request)
        )
    )


@router.post("/returns/{return_id}/decide", response=CommerceReturnOut, summary="Approve (refund) or reject a return")
def return_decide(request: HttpRequest, return_id: UUID, payload: CommerceDecideIn) -> CommerceReturnOut:
    r = services.return_decide(actor=_user(request), return_id=return_id, approve=payload.approve, note=payload.note)
    return _return_out(r)
