"""An order's life after payment: preparing, shipped, delivered, confirmed; cancels, returns, refunds.

Every transition is a conditional UPDATE from the states it may leave, so two staff members (or a
buyer and the auto-confirm job) racing on one order move it once. Money goes back through the Pay
ledger inside the same transaction as the order change: if the refund is refused, nothing changed.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sangsaeng.commerce import channels, events, notify, passports, pay
from sangsaeng.commerce.catalog import access_store_staff, variant_restock
from sangsaeng.commerce.models import Coupon, CouponRedemption, Order, OrderLine, OrderRefund, ReturnRequest
from sangsaeng.commerce.validation import amount_clean, text_clean
from sangsaeng.core.errors import Problem, not_found

S = Order.Status
CANCELLABLE = (S.PAID, S.PREPARING)
RETURNABLE = (S.SHIPPED, S.DELIVERED, S.CONFIRMED)
COURIERS = ("CJ대한통운", "한진택배", "롯데택배", "우체국택배", "로젠택배", "편의점택배", "직접 배송")


def _uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (ValueError, TypeError):
        return None


def access_order(*, actor: Any, order_id: Any) -> Order:
    """The buyer's own order; one 404 for anything else."""
    public_id = _uuid(order_id)
    if public_id is None or not getattr(actor, "is_authenticated", False):
        raise not_found("order")
    order = Order.objects.select_related("store").filter(public_id=public_id, buyer=actor).first()
    if order is None:
        raise not_found("order")
    return order


def access_order_staff(*, actor: Any, order_id: Any) -> Order:
    """An order of a store whose channel the actor staffs; one 404 for anything else."""
    public_id = _uuid(order_id)
    order = Order.objects.select_related("store", "buyer").filter(public_id=public_id).first() if public_id else None
    if order is None:
        raise not_found("order")
    channels.staff_check(actor=actor, channel_id=order.store.channel_id)
    return order


def _wrong_state(order: Order, action_ko: str, action_en: str) -> Problem:
    return Problem(
        code="invalid_order_state",
        status=409,
        ko=f"'{order.get_status_display()}' 상태의 주문은 {action_ko}할 수 없습니다.",
        en=f"An order that is {order.status} can't be {action_en}.",
        extra={"order_status": order.status},
    )


def _move(order: Order, *, from_states: tuple[str, ...], to: str, stamp: str, **fields: Any) -> bool:
    now = timezone.now()
    moved = Order.objects.filter(pk=order.pk, status__in=from_states).update(
        status=to, updated_at=now, **{stamp: now}, **fields
    )
    if moved:
        order.refresh_from_db()
    return moved == 1


def order_prepare(*, actor: Any, order_id: Any) -> Order:
    order = access_order_staff(actor=actor, order_id=order_id)
    with transaction.atomic():
        if not _move(order, from_states=(S.PAID,), to=S.PREPARING, stamp="preparing_at"):
            raise _wrong_state(order, "준비 중으로 변경", "marked preparing")
        notify.order_changed(order)
    return order


def _serials_clean(order: Order, serials: dict[str, Any] | None) -> dict[int, tuple[OrderLine, list[str]]]:
    """Serial numbers of the units shipped, per order line of an authenticity-enabled product: one
    per unit, for every such line whose brand issues passports (the buyer will own each one)."""
    lines = {str(line.public_id): line for line in order.lines.select_related("product")}
    cleaned: dict[int, tuple[OrderLine, list[str]]] = {}
    for line_id, values in (serials or {}).items():
        line = lines.get(str(line_id))
        if line is None or not line.product.authenticity_enabled or not isinstance(values, list):
            raise Problem(
                code="invalid_field",
                status=422,
                ko="정품 인증 상품의 주문 항목이 아닙니다.",
                en="Serials are for lines of authenticity-enabled products.",
                field="serials",
            )
        clean = [str(v).strip()[:80] for v in values if str(v).strip()]
        if len(clean) > line.quantity:
            raise Problem(
                code="invalid_field",
                status=422,
                ko="수량보다 많은 일련번호입니다.",
                en="More serials than units.",
                field="serials",
            )
        cleaned[line.pk] = (line, clean)
    if passports.enabled():
        for line in lines.values():
            given = len(cleaned.get(line.pk, (line, []))[1])
            if line.product.authenticity_enabled and line.product.authenticity_brand and given != line.quantity:
                raise Problem(
                    code="serials_required",
                    status=422,
                    ko=f"'{line.title}' {line.quantity}개의 일련번호를 모두 입력하세요. 배송 완료 시 각 제품 "
                    "여권이 구매자에게 넘어갑니다.",
                    en=f"Give the serial of each of the {line.quantity} unit(s) of '{line.title}': each "
                    "unit's passport passes to the buyer on delivery.",
                    field="serials",
                    extra={"line_id": str(line.public_id), "quantity": line.quantity},
                )
    return cleaned


def order_ship(
    *, actor: Any, order_id: Any, courier: str, tracking_number: str, serials: dict[str, Any] | None = None
) -> Order:
    """Hand the parcel to a courier. The serial of each authenticity-enabled unit is named here and
    its passport held for this order, so a wrong or already-sold serial is refused now, while the
    partner can still fix it, and nothing about the order changes."""
    order = access_order_staff(actor=actor, order_id=order_id)
    courier = text_clean(courier, field="courier", max_length=40)
    tracking = text_clean(tracking_number, field="tracking_number", max_length=40)
    if not tracking.replace("-", "").isalnum():
        raise Problem(
            code="invalid_field",
            status=422,
            ko="송장번호는 영문·숫자입니다.",
            en="A tracking number is letters and digits.",
            field="tracking_number",
        )
    shipped_serials = _serials_clean(order, serials)
    with transaction.atomic():
        if not _move(
            order,
            from_states=(S.PAID, S.PREPARING),
            to=S.SHIPPED,
            stamp="shipped_at",
            courier=courier,
            tracking_number=tracking,
        ):
            raise _wrong_state(order, "발송 처리", "shipped")
        for line_pk, (line, values) in shipped_serials.items():
            OrderLine.objects.filter(pk=line_pk).update(serials=values)
            if line.product.authenticity_brand and values:
                passports.hold(
                    brand=line.product.authenticity_brand,
                    channel_id=order.store.channel_id,
                    buyer=order.buyer,
                    line_id=line.public_id,
                    serials=values,
                )
        notify.order_changed(order)
    return order


def _passports_release(order: Order) -> None:
    """Refunded before delivery: the units never reached the buyer, so their passports stay the brand's."""
    if order.delivered_at is not None:
        return
    for line in order.lines.select_related("product"):
        if line.product.authenticity_brand and line.serials:
            passports.release(brand=line.product.authenticity_brand, line_id=line.public_id, count=len(line.serials))


def order_deliver(*, actor: Any, order_id: Any) -> Order:
    """Mark delivered (the partner, or a courier's tracking hook acting for it)."""
    order = access_order_staff(actor=actor, order_id=order_id)
    with transaction.atomic():
        if not _move(order, from_states=(S.SHIPPED,), to=S.DELIVERED, stamp="delivered_at"):
            raise _wrong_state(order, "배송 완료 처리", "marked delivered")
        lines = [
            {
                "product_id": str(line.product.public_id),
                "sku": line.sku,
                "quantity": line.quantity,
                "brand": line.product.authenticity_brand,
                "serials": line.serials,
                "line_id": str(line.public_id),
            }
            for line in order.lines.select_related("product")
            if line.product.authenticity_enabled
        ]
        events.emit(
            events.ORDER_DELIVERED,
            channel_id=order.store.channel_id,
            who=events.visitor(user=order.buyer),
            order_ref=f"commerce:order:{order.public_id}",
            order_number=order.number,
            buyer_id=str(order.buyer.public_id),
            authenticity_lines=lines,
        )
        notify.order_changed(order)
    return order


def _confirm(order: Order) -> bool:
    with transaction.atomic():
        if not _move(order, from_states=(S.DELIVERED,), to=S.CONFIRMED, stamp="confirmed_at"):
            return False
        notify.order_changed(order)
    return True


def order_confirm(*, actor: Any, order_id: Any) -> Order:
    """The buyer confirms the purchase (구매 확정): from here the sale is final."""
    order = access_order(actor=actor, order_id=order_id)
    if not _confirm(order):
        raise _wrong_state(order, "구매 확정", "confirmed")
    return order


def orders_auto_confirm() -> int:
    """Confirm delivered orders whose store's waiting period has passed; run by the worker."""
    now = timezone.now()
    confirmed = 0
    for order in Order.objects.filter(status=S.DELIVERED).select_related("store", "buyer")[:500]:
        if order.delivered_at and order.delivered_at + timedelta(days=order.store.auto_confirm_days) <= now:
            confirmed += _confirm(order)
    return confirmed


def _refund(order: Order, *, actor: Any, amount: int, reason: str, key: str) -> None:
    """Return `amount` of the order's money through the ledger, within the caller's transaction."""
    if amount <= 0:
        return
    if OrderRefund.objects.filter(key=key).exists():
        return
    OrderRefund.objects.create(order=order, key=key, amount=amount, reason=reason[:200])
    updated = Order.objects.filter(pk=order.pk, refunded_amount__lte=F("total") - amount).update(
        refunded_amount=F("refunded_amount") + amount
    )
    if updated != 1:
        raise Problem(
            code="refund_exceeds_paid",
            status=409,
            ko="결제 금액보다 많이 환불할 수 없습니다.",
            en="The refund is more than what remains paid.",
            field="amount",
        )
    pay.refund(actor=actor, payment_id=order.payment_id, amount=amount, reason=reason[:200], idempotency_key=key)
    order.refresh_from_db()
    events.emit(
        events.ORDER_REFUNDED,
        channel_id=order.store.channel_id,
        who=events.visitor(user=order.buyer),
        order_ref=str(order.public_id),
        amount=amount,
        refunded_total=order.refunded_amount,
        reason=reason,
    )


def order_cancel(*, actor: Any, order_id: Any, reason: str = "", as_staff: bool = False) -> Order:
    """Cancel before shipping: the remaining payment goes back and the stock returns to the shelf."""
    order = (access_order_staff if as_staff else access_order)(actor=actor, order_id=order_id)
    reason = text_clean(reason, field="reason", max_length=200, required=False) or "주문 취소"
    with transaction.atomic():
        remaining = order.total - order.refunded_amount
        if not _move(order, from_states=CANCELLABLE, to=S.CANCELLED, stamp="cancelled_at"):
            raise _wrong_state(order, "취소", "cancelled")
        for line in order.lines.all():
            variant_restock(variant_id=line.variant_id, quantity=line.quantity)
        if order.coupon_id:
            CouponRedemption.objects.filter(order=order).delete()
            Coupon.objects.filter(pk=order.coupon_id, used_count__gt=0).update(used_count=F("used_count") - 1)
        agent = actor if as_staff else channels.refund_agent(channel_id=order.store.channel_id)
        _refund(order, actor=agent, amount=remaining, reason=reason, key=f"commerce:cancel:{order.public_id}")
        notify.order_changed(order)
    return order


def return_request(
    *, actor: Any, order_id: Any, reason: str, detail: str = "", amount: int | None = None
) -> ReturnRequest:
    """The buyer asks for a return or refund, in whole or in part, with a reason."""
    order = access_order(actor=actor, order_id=order_id)
    if reason not in ReturnRequest.Reason.values:
        raise Problem(
            code="invalid_field", status=422, ko="반품 사유를 선택하세요.", en="Choose a reason.", field="reason"
        )
    if order.status not in RETURNABLE:
        raise _wrong_state(order, "반품 요청", "returned")
    pending = sum(r.amount for r in order.returns.filter(status=ReturnRequest.Status.REQUESTED))
    open_amount = order.total - order.refunded_amount - pending
    amount = open_amount if amount is None else amount_clean(amount, field="amount")
    if amount <= 0 or amount > open_amount:
        raise Problem(
            code="refund_exceeds_paid",
            status=409,
            ko=f"요청할 수 있는 금액은 최대 {open_amount:,}원입니다.",
            en=f"At most {open_amount:,} won can be requested.",
            field="amount",
        )
    return ReturnRequest.objects.create(
        order=order,
        reason=reason,
        amount=amount,
        detail=text_clean(detail, field="detail", max_length=1000, required=False),
    )


def return_decide(*, actor: Any, return_id: Any, approve: bool, note: str = "") -> ReturnRequest:
    """The partner approves (the money goes back now) or rejects a return request."""
    public_id = _uuid(return_id)
    request = (
        ReturnRequest.objects.select_related("order__store").filter(public_id=public_id).first() if public_id else None
    )
    if request is None:
        raise not_found("return")
    order = access_order_staff(actor=actor, order_id=request.order.public_id)
    with transaction.atomic():
        moved = ReturnRequest.objects.filter(pk=request.pk, status=ReturnRequest.Status.REQUESTED).update(
            status=ReturnRequest.Status.APPROVED if approve else ReturnRequest.Status.REJECTED,
            decided_at=timezone.now(),
            decision_note=note[:200],
        )
        if moved != 1:
            raise Problem(
                code="return_decided",
                status=409,
                ko="이미 처리된 요청입니다.",
                en="This request has already been decided.",
            )
        if approve:
            _refund(
                order,
                actor=actor,
                amount=request.amount,
                reason=f"반품: {request.get_reason_display()}",
                key=f"commerce:return:{request.public_id}",
            )
            if order.refunded_amount == order.total:
                Order.objects.filter(pk=order.pk).update(status=S.REFUNDED, updated_at=timezone.now())
                order.refresh_from_db()
                _passports_release(order)
            notify.order_changed(
                order,
                text=f"[{order.store.name}] 주문 {order.number}의 반품 요청이 승인되어 "
                f"{request.amount:,}원이 환불되었습니다.",
            )
    request.refresh_from_db()
    return request


def order_refund_partial(*, actor: Any, order_id: Any, amount: Any, reason: str, key: str) -> Order:
    """The partner refunds part of a paid order (a missing item, a goodwill discount)."""
    order = access_order_staff(actor=actor, order_id=order_id)
    amount = amount_clean(amount, field="amount")
    if amount < 1:
        raise Problem(
            code="invalid_amount",
            status=422,
            ko="환불 금액은 1원 이상입니다.",
            en="A refund is at least 1 won.",
            field="amount",
        )
    reason = text_clean(reason, field="reason", max_length=200)
    if order.status in (S.PLACED, S.CANCELLED, S.REFUNDED, S.EXPIRED):
        raise _wrong_state(order, "환불", "refunded")
    if not key or len(key) > 200:
        raise Problem(
            code="idempotency_key_required",
            status=400,
            ko="Idempotency-Key가 필요합니다.",
            en="An Idempotency-Key is required.",
            field="Idempotency-Key",
        )
    with transaction.atomic():
        _refund(order, actor=actor, amount=amount, reason=reason, key=f"commerce:partial:{order.public_id}:{key}")
        if order.refunded_amount == order.total:
            Order.objects.filter(pk=order.pk).update(status=S.REFUNDED, updated_at=timezone.now())
            order.refresh_from_db()
            _passports_release(order)
        notify.order_changed(
            order, text=f"[{order.store.name}] 주문 {order.number}에서 {amount:,}원이 환불되었습니다. 사유: {reason}"
        )
    return order


def orders_bulk_prepare(*, actor: Any, store_id: Any, order_ids: list[Any]) -> dict[str, str]:
    """Mark many paid orders as preparing; the answer says what happened to each."""
    store = access_store_staff(actor=actor, store_id=store_id)
    results: dict[str, str] = {}
    for order_id in order_ids[:500]:
        order_uuid = _uuid(order_id)
        order = Order.objects.filter(store=store, public_id=order_uuid).first() if order_uuid else None
        if order is None:
            results[str(order_id)] = "not_found"
            continue
        with transaction.atomic():
            ok = _move(order, from_states=(S.PAID,), to=S.PREPARING, stamp="preparing_at")
            if ok:
                notify.order_changed(order)
        results[str(order_id)] = "preparing" if ok else f"skipped:{order.status}"
    return results


def orders_bulk_ship_csv(*, actor: Any, store_id: Any, text: str) -> list[dict[str, str]]:
    """Ship orders from a CSV of `order_number,courier,tracking_number` (a header row is allowed)."""
    store = access_store_staff(actor=actor, store_id=store_id)
    if len(text) > 1_000_000:
        raise Problem(code="body_too_large", status=413, ko="CSV가 너무 큽니다.", en="The CSV is too large.")
    results = []
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if not row or row[0].strip() in ("order_number", "주문번호"):
            continue
        number = row[0].strip()
        outcome = {"order_number": number, "result": "shipped"}
        order = Order.objects.filter(store=store, number=number).first()
        if order is None or len(row) < 3:
            outcome["result"] = "not_found" if order is None else "invalid_row"
        else:
            try:
                order_ship(actor=actor, order_id=order.public_id, courier=row[1], tracking_number=row[2])
            except Problem as problem:
                outcome["result"] = problem.code
        results.append(outcome)
    return results


CSV_HEADER = [
    "주문번호",
    "주문일시",
    "상태",
    "구매자",
    "상품",
    "옵션",
    "SKU",
    "수량",
    "단가",
    "상품합계",
    "할인",
    "배송비",
    "결제금액",
    "환불금액",
    "받는 분",
    "연락처",
    "우편번호",
    "주소",
    "택배사",
    "송장번호",
]


def orders_csv(*, actor: Any, store_id: Any) -> str:
    """Every order line of the store as CSV (UTF-8 with BOM so spreadsheet apps read Korean)."""
    store = access_store_staff(actor=actor, store_id=store_id)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    orders = store.orders.exclude(status__in=(S.PLACED, S.EXPIRED)).select_related("buyer").prefetch_related("lines")
    for order in orders.order_by("created_at"):
        a = order.address
        for line in order.lines.all():
            writer.writerow(
                [
                    order.number,
                    timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M"),
                    order.get_status_display(),
                    order.buyer.get_short_name(),
                    line.title,
                    line.option_label,
                    line.sku,
                    line.quantity,
                    line.unit_price,
                    order.subtotal,
                    order.discount,
                    order.shipping_fee,
                    order.total,
                    order.refunded_amount,
                    a.get("receiver_name", ""),
                    a.get("receiver_phone_number1", ""),
                    a.get("zone_number", ""),
                    f"{a.get('base_address', '')} {a.get('detail_address', '')}".strip(),
                    order.courier,
                    order.tracking_number,
                ]
            )
    return out.getvalue()
