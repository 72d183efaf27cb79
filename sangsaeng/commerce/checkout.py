"""One-tap checkout: reserve stock, take the money, mark the order paid.

Stock leaves the shelf with one conditional UPDATE per line (`stock = stock - q WHERE stock >= q`)
inside the transaction that creates the order and its reservation rows: on SQLite and PostgreSQL
alike a checkout either gets every unit it asked for or nothing, so no concurrency oversells.
Payment runs after that commit (the ledger has its own transactions); when it is refused, the
reservation goes back at once, and when the buyer never pays (a card left at the PG), the
periodic sweeper returns it after COMMERCE_RESERVATION_MINUTES.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from sangsaeng.commerce import channels, events, notify, pay
from sangsaeng.commerce.cart import variant_for_sale
from sangsaeng.commerce.catalog import variant_restock
from sangsaeng.commerce.models import (
    Cart,
    CartLine,
    Coupon,
    CouponRedemption,
    Order,
    OrderLine,
    Product,
    StockReservation,
    Store,
    Variant,
)
from sangsaeng.commerce.validation import address_snapshot, quantity_clean
from sangsaeng.core.errors import Problem, not_found


@dataclass
class Quote:
    subtotal: int
    shipping_fee: int
    discount: int
    total: int
    coupon: Coupon | None = None
    lines: list[tuple[Variant, int]] = field(default_factory=list)


def age_audience(store: Store) -> str:
    """The audience an over-19 presentation must name: this store, on this platform."""
    return f"{settings.PUBLIC_URL}/store/{store.handle}/"


def age_challenge(*, store: Store) -> dict[str, str]:
    """A single-use nonce and the audience for the buyer's wallet to put in its presentation."""
    from sangsaeng.identity import services as identity

    audience = age_audience(store)
    return {"nonce": identity.verifier_nonce_issue(audience=audience), "audience": audience, "disclose": "is_over_19"}


def _age_gate(store: Store, age_proof: dict[str, Any] | None) -> None:
    from sangsaeng.identity import services as identity

    refused = Problem(
        code="age_verification_required",
        status=403,
        ko="19세 이상 구매 가능한 상품입니다. 신분 증명(만 19세 이상 여부만 공개)을 제출하세요.",
        en="This product is for adults: present your ID credential disclosing only is_over_19.",
        field="age_proof",
    )
    if (
        not age_proof
        or not isinstance(age_proof.get("nonce"), str)
        or not isinstance(age_proof.get("presentation"), str)
    ):
        raise refused
    audience = age_audience(store)
    if not identity.age_proof_verify(
        presentation=age_proof["presentation"], nonce=age_proof["nonce"], audience=audience
    ):
        raise refused
    if not identity.verifier_nonce_consume(nonce=age_proof["nonce"], audience=audience):
        raise refused


def shipping_for(lines: list[tuple[Variant, int]]) -> int:
    """Bundled shipping (묶음 배송): the highest fee among products whose free condition isn't met."""
    per_product: dict[int, tuple[Product, int]] = {}
    for variant, quantity in lines:
        product, amount = per_product.get(variant.product_id, (variant.product, 0))
        per_product[variant.product_id] = (product, amount + variant.price * quantity)
    fee = 0
    for product, amount in per_product.values():
        if product.shipping_rule == Product.Shipping.FLAT or (
            product.shipping_rule == Product.Shipping.FREE_OVER and amount < product.free_over
        ):
            fee = max(fee, product.shipping_fee)
    return fee


def coupon_for(*, store: Store, code: str | None, buyer: Any, subtotal: int) -> Coupon | None:
    if not code:
        return None
    coupon = Coupon.objects.filter(store=store, code=str(code).strip().upper()[:30], is_active=True).first()
    refusal = None
    if coupon is None or (coupon.expires_at and coupon.expires_at <= timezone.now()):
        refusal = (
            "쿠폰을 찾을 수 없거나 기간이 지났습니다.",
            "The coupon is unknown or has expired.",
            "coupon_invalid",
        )
    elif subtotal < coupon.min_order:
        refusal = (
            f"{coupon.min_order:,}원 이상 주문 시 쓸 수 있는 쿠폰입니다.",
            f"This coupon needs an order of at least {coupon.min_order:,} won.",
            "coupon_min_order",
        )
    elif coupon.max_uses is not None and coupon.used_count >= coupon.max_uses:
        refusal = ("쿠폰이 모두 소진되었습니다.", "The coupon has been used up.", "coupon_exhausted")
    elif CouponRedemption.objects.filter(coupon=coupon, user=buyer).count() >= coupon.per_user_limit:
        refusal = ("이미 사용한 쿠폰입니다.", "You have already used this coupon.", "coupon_used")
    if refusal:
        raise Problem(code=refusal[2], status=409, ko=refusal[0], en=refusal[1], field="coupon_code")
    return coupon


def discount_for(coupon: Coupon | None, subtotal: int) -> int:
    if coupon is None:
        return 0
    if coupon.kind == Coupon.Kind.PERCENT:
        return subtotal * coupon.value // 100
    return min(coupon.value, subtotal)


def _lines_from(
    *, buyer: Any, store: Store, lines: list[dict[str, Any]] | None
) -> tuple[list[dict[str, Any]], Cart | None]:
    """The lines to buy: given explicitly (buy now), or the buyer's cart for this store."""
    if lines:
        if not isinstance(lines, list) or len(lines) > 50:
            raise Problem(
                code="invalid_field",
                status=422,
                ko="주문 항목이 올바르지 않습니다.",
                en="The order lines are not valid.",
                field="lines",
            )
        return lines, None
    cart = Cart.objects.filter(user=buyer, store=store).first()
    rows = (
        [
            {"variant_id": str(line.variant.public_id), "quantity": line.quantity, "unit_price": line.unit_price_seen}
            for line in CartLine.objects.filter(cart=cart).select_related("variant")
        ]
        if cart
        else []
    )
    if not rows:
        raise Problem(code="cart_empty", status=409, ko="장바구니가 비어 있습니다.", en="The cart is empty.")
    return rows, cart


def _priced(store: Store, rows: list[dict[str, Any]], cart: Cart | None) -> list[tuple[Variant, int]]:
    priced: list[tuple[Variant, int]] = []
    stale: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise Problem(
                code="invalid_field",
                status=422,
                ko="주문 항목이 올바르지 않습니다.",
                en="An order line is not valid.",
                field=f"lines.{i}",
            )
        variant = variant_for_sale(variant_id=row.get("variant_id"))
        if variant.product.store_id != store.pk:
            raise Problem(
                code="unknown_variant",
                status=404,
                ko="이 상점의 상품이 아닙니다.",
                en="The variant is not sold by this store.",
                field=f"lines.{i}.variant_id",
            )
        quantity = quantity_clean(row.get("quantity"), field=f"lines.{i}.quantity")
        seen = row.get("unit_price")
        if seen is not None and seen != variant.price:
            stale.append({"variant_id": str(variant.public_id), "was": seen, "now": variant.price})
        if variant.stock < quantity:
            stale.append({"variant_id": str(variant.public_id), "quantity": quantity, "available": variant.stock})
        priced.append((variant, quantity))
    if stale:
        if cart is not None:
            for variant, _q in priced:
                CartLine.objects.filter(cart=cart, variant=variant).update(unit_price_seen=variant.price)
        raise Problem(
            code="cart_stale",
            status=409,
            ko="가격이나 재고가 바뀌었습니다. 장바구니를 확인하고 다시 결제하세요.",
            en="Prices or stock changed since you added these items. Review the cart and pay again.",
            field="lines",
            extra={"changes": stale},
        )
    return priced


def checkout_quote(
    *, buyer: Any, store: Store, lines: list[dict[str, Any]] | None = None, coupon_code: str | None = None
) -> Quote:
    rows, cart = _lines_from(buyer=buyer, store=store, lines=lines)
    priced = _priced(store, rows, cart)
    subtotal = sum(v.price * q for v, q in priced)
    coupon = coupon_for(store=store, code=coupon_code, buyer=buyer, subtotal=subtotal)
    discount = discount_for(coupon, subtotal)
    shipping = shipping_for(priced)
    return Quote(
        subtotal=subtotal,
        shipping_fee=shipping,
        discount=discount,
        total=subtotal - discount + shipping,
        coupon=coupon,
        lines=priced,
    )


def _number() -> str:
    return timezone.localtime().strftime("%Y%m%d") + "-" + secrets.token_hex(4).upper()


def _out_of_stock(variant: Variant) -> Problem:
    return Problem(
        code="out_of_stock",
        status=409,
        ko=f"'{variant.product.title}' 재고가 부족합니다.",
        en=f"'{variant.product.title}' is out of stock.",
        field="lines",
        extra={"variant_id": str(variant.public_id)},
    )


def _reserve(
    *,
    buyer: Any,
    store: Store,
    quote: Quote,
    address: dict[str, str],
    method: str,
    idempotency_key: str,
    session_key: str | None,
) -> Order:
    with transaction.atomic():
        for variant, quantity in sorted(quote.lines, key=lambda item: item[0].pk):
            taken = Variant.objects.filter(pk=variant.pk, is_active=True, stock__gte=quantity).update(
                stock=F("stock") - quantity
            )
            if taken != 1:
                raise _out_of_stock(variant)
        if quote.coupon is not None:
            used = Coupon.objects.filter(
                Q(max_uses__isnull=True) | Q(used_count__lt=F("max_uses")), pk=quote.coupon.pk
            ).update(used_count=F("used_count") + 1)
            if used != 1:
                raise Problem(
                    code="coupon_exhausted",
                    status=409,
                    ko="쿠폰이 모두 소진되었습니다.",
                    en="The coupon has been used up.",
                    field="coupon_code",
                )
        order = Order.objects.create(
            number=_number(),
            store=store,
            buyer=buyer,
            subtotal=quote.subtotal,
            shipping_fee=quote.shipping_fee,
            discount=quote.discount,
            total=quote.total,
            coupon=quote.coupon,
            address=address,
            payment_method=method,
            idempotency_key=idempotency_key,
        )
        if quote.coupon is not None:
            CouponRedemption.objects.create(coupon=quote.coupon, order=order, user=buyer)
        expires = timezone.now() + timedelta(minutes=settings.COMMERCE_RESERVATION_MINUTES)
        for variant, quantity in quote.lines:
            OrderLine.objects.create(
                order=order,
                product=variant.product,
                variant=variant,
                title=variant.product.title,
                option_label=variant.label,
                sku=variant.sku,
                unit_price=variant.price,
                quantity=quantity,
            )
            StockReservation.objects.create(order=order, variant=variant, quantity=quantity, expires_at=expires)
        events.emit(
            events.CHECKOUT_STARTED,
            channel_id=store.channel_id,
            who=events.visitor(user=buyer, session_key=session_key),
            order_ref=str(order.public_id),
            amount=order.total,
            items=sum(q for _v, q in quote.lines),
        )
    return order


def order_release(*, order: Order, status: str) -> bool:
    """Give a never-paid order's reservations back (payment refused, or the sweeper found it expired)."""
    with transaction.atomic():
        moved = Order.objects.filter(pk=order.pk, status=Order.Status.PLACED).update(
            status=status, cancelled_at=timezone.now(), updated_at=timezone.now()
        )
        if moved != 1:
            return False
        for reservation in StockReservation.objects.filter(order=order, state=StockReservation.State.HELD):
            variant_restock(variant_id=reservation.variant_id, quantity=reservation.quantity)
        StockReservation.objects.filter(order=order, state=StockReservation.State.HELD).update(
            state=StockReservation.State.RELEASED
        )
        if order.coupon_id:
            CouponRedemption.objects.filter(order=order).delete()
            Coupon.objects.filter(pk=order.coupon_id, used_count__gt=0).update(used_count=F("used_count") - 1)
    return True


def order_mark_paid(*, order: Order, payment_id: str) -> bool:
    now = timezone.now()
    with transaction.atomic():
        moved = Order.objects.filter(pk=order.pk, status=Order.Status.PLACED).update(
            status=Order.Status.PAID, payment_id=payment_id, paid_at=now, updated_at=now
        )
        if moved != 1:
            return False
        StockReservation.objects.filter(order=order, state=StockReservation.State.HELD).update(
            state=StockReservation.State.CONSUMED
        )
        order.refresh_from_db()
        events.emit(
            events.ORDER_PAID,
            channel_id=order.store.channel_id,
            who=events.visitor(user=order.buyer),
            order_ref=str(order.public_id),
            amount=order.total,
            discount=order.discount,
            shipping_fee=order.shipping_fee,
            coupon=order.coupon.code if order.coupon else None,
            lines=[
                {
                    "product_id": str(line.product.public_id),
                    "title": line.title,
                    "quantity": line.quantity,
                    "amount": line.unit_price * line.quantity,
                }
                for line in order.lines.select_related("product")
            ],
        )
        notify.order_changed(order)
    return True


def checkout(
    *,
    buyer: Any,
    store: Store,
    idempotency_key: str,
    payment_method: str = "wallet",
    lines: list[dict[str, Any]] | None = None,
    coupon_code: str | None = None,
    address: dict[str, Any] | None = None,
    expected_total: int | None = None,
    age_proof: dict[str, Any] | None = None,
    session_key: str | None = None,
) -> Order:
    """Buy the given lines (or the cart) in one step and return the paid order.

    The same idempotency key from the same buyer always gives back the first order, so a double tap
    or a retried request never charges twice. Refusals (stale cart, out of stock, coupon, age gate,
    address, insufficient balance) leave stock, coupons and the ledger as they were.
    """
    if not idempotency_key or len(idempotency_key) > 255:
        raise Problem(
            code="idempotency_key_required",
            status=400,
            ko="Idempotency-Key가 필요합니다.",
            en="An Idempotency-Key is required.",
            field="Idempotency-Key",
        )
    existing = Order.objects.filter(buyer=buyer, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if payment_method not in pay.METHODS or not pay.method_enabled(payment_method):
        raise Problem(
            code="invalid_payment_method",
            status=422,
            ko="결제 수단이 올바르지 않습니다.",
            en="This payment method is not available.",
            field="payment_method",
        )
    if address is None:
        from sangsaeng.accounts.selectors import address_get_default

        default = address_get_default(user=buyer)
        if default is None:
            raise Problem(
                code="address_required",
                status=409,
                ko="기본 배송지를 먼저 등록하세요.",
                en="Add a default shipping address first.",
                field="address",
            )
        address = {
            k: getattr(default, k)
            for k in ("zone_number", "base_address", "detail_address", "receiver_name", "receiver_phone_number1")
        }
    snapshot = address_snapshot(address)
    quote = checkout_quote(buyer=buyer, store=store, lines=lines, coupon_code=coupon_code)
    if expected_total is not None and expected_total != quote.total:
        raise Problem(
            code="cart_stale",
            status=409,
            ko="결제 금액이 바뀌었습니다. 다시 확인하세요.",
            en="The total changed; review it and pay again.",
            field="expected_total",
            extra={"total": quote.total},
        )
    if any(v.product.age_restricted for v, _q in quote.lines):
        _age_gate(store, age_proof)
    try:
        order = _reserve(
            buyer=buyer,
            store=store,
            quote=quote,
            address=snapshot,
            method=payment_method,
            idempotency_key=idempotency_key,
            session_key=session_key,
        )
    except IntegrityError:
        return Order.objects.get(buyer=buyer, idempotency_key=idempotency_key)
    try:
        payment_id, paid = pay.charge(
            buyer=buyer,
            channel_id=store.channel_id,
            amount=order.total,
            method=payment_method,
            order_ref=f"commerce:order:{order.public_id}",
            purpose=f"{store.name} 주문 {order.number}",
            idempotency_key=f"commerce:order:{order.public_id}",
        )
    except Exception:
        order_release(order=order, status=Order.Status.CANCELLED)
        raise
    if not paid:
        # a card payment: the order waits (its stock held) for the PG's callback or the sweeper
        Order.objects.filter(pk=order.pk).update(payment_id=payment_id)
        order.refresh_from_db()
        return order
    _paid_or_refunded(order, payment_id)
    if lines is None:
        CartLine.objects.filter(cart__user=buyer, cart__store=store, variant__in=[v for v, _q in quote.lines]).delete()
    order.refresh_from_db()
    return order


def unpaid_order_refund(order: Order, payment_id: str) -> None:
    """Money arrived for an order that closed unpaid (its reservation expired, or it was cancelled
    while the payment ran): give it straight back. One key per order, shared by every path that
    finds this, so the money goes back once."""
    pay.refund(
        actor=channels.refund_agent(channel_id=order.store.channel_id),
        payment_id=payment_id,
        amount=order.total,
        reason="결제 시간 초과로 주문 취소",
        idempotency_key=f"commerce:expired:{order.public_id}",
    )


def _paid_or_refunded(order: Order, payment_id: str) -> None:
    if order_mark_paid(order=order, payment_id=payment_id):
        return
    order.refresh_from_db()
    if order.paid_at is not None and order.payment_id == payment_id:
        return  # the payment's own `payment_paid` event marked it paid a moment earlier
    # the sweeper released the reservation while the payment ran: give the money straight back
    unpaid_order_refund(order, payment_id)
    raise Problem(
        code="reservation_expired",
        status=409,
        ko="결제 시간이 지나 주문이 취소되었고, 결제 금액은 환불되었습니다.",
        en="The reservation expired before payment; the payment was refunded.",
    )


def order_payment_confirm(*, actor: Any, order_id: Any, payment_key: str, amount: Any) -> Order:
    """The PG's success callback for a card order. A replayed callback for an order that is already
    paid is refused with `payment_already_confirmed` and no money moves; a PG that declines cancels
    the order and returns its stock; a PG that does not answer leaves everything as it was."""
    from sangsaeng.commerce.orders import access_order

    order = access_order(actor=actor, order_id=order_id)
    if order.status != Order.Status.PLACED or not order.payment_id:
        raise Problem(
            code="payment_already_confirmed",
            status=409,
            ko="이미 처리된 결제입니다. 돈은 다시 움직이지 않았습니다.",
            en="This order's payment was already processed; no money moved.",
            extra={"order_status": order.status},
        )
    if not isinstance(amount, int) or isinstance(amount, bool) or amount != order.total:
        raise Problem(
            code="amount_mismatch",
            status=422,
            ko="결제 금액이 주문 금액과 다릅니다.",
            en="The amount does not match the order.",
            field="amount",
            extra={"expected": order.total},
        )
    try:
        pay.card_confirm(buyer=actor, payment_id=order.payment_id, payment_key=payment_key, amount=amount)
    except Problem as problem:
        if problem.code == "pg_declined":  # the payment failed for good: the stock goes back now
            order_release(order=order, status=Order.Status.CANCELLED)
        raise
    _paid_or_refunded(order, order.payment_id)
    order.refresh_from_db()
    return order


def reservations_sweep() -> int:
    """Release every expired reservation of an unpaid order; the worker runs it on a timer."""
    due = (
        Order.objects.filter(
            status=Order.Status.PLACED,
            reservations__state=StockReservation.State.HELD,
            reservations__expires_at__lt=timezone.now(),
        )
        .distinct()
        .order_by("pk")[:500]
    )
    return sum(1 for order in list(due) if order_release(order=order, status=Order.Status.EXPIRED))


def access_store_public(*, handle: str) -> Store:
    store = Store.objects.filter(handle=handle).first()
    if store is None:
        raise not_found("store")
    return store
