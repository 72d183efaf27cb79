"""Chat messages from the store's channel to the buyer when an order changes.

The message is an outbox event handled by a task, off the request path: delivering a chat message
touches the messaging app and its real-time fan-out, which a checkout must not wait for, and a
failed delivery is retried by the outbox instead of being lost.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sangsaeng.commerce import channels
from sangsaeng.commerce.models import Order
from sangsaeng.core.outbox import event_emit, handles

ORDER_NOTICE = "commerce.order_notice"

MESSAGES = {
    Order.Status.PAID: "[{store}] 주문 {number}이 결제되었습니다. 합계 {total:,}원. 곧 준비해 보내드릴게요.",
    Order.Status.PREPARING: "[{store}] 주문 {number}의 상품을 준비하고 있습니다.",
    Order.Status.SHIPPED: "[{store}] 주문 {number}이 발송되었습니다. {courier} 송장번호 {tracking}",
    Order.Status.DELIVERED: "[{store}] 주문 {number}이 배송 완료되었습니다. 상품을 확인하고 구매를 확정해 주세요.",
    Order.Status.CONFIRMED: "[{store}] 주문 {number}의 구매가 확정되었습니다. 리뷰를 남겨 주시면 큰 힘이 됩니다.",
    Order.Status.CANCELLED: "[{store}] 주문 {number}이 취소되었습니다. 결제하신 금액은 결제 수단으로 환불됩니다.",
    Order.Status.REFUNDED: "[{store}] 주문 {number}이 전액 환불되었습니다.",
}


def order_card(order: Order) -> dict[str, Any]:
    first = order.lines.first()
    return {
        "kind": "order",
        "order_id": str(order.public_id),
        "number": order.number,
        "store": order.store.name,
        "title": first.title if first else order.number,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "total": order.total,
        "url": reverse("commerce:order", args=[order.public_id]),
    }


def order_changed(order: Order, *, text: str | None = None) -> None:
    """Queue the buyer's chat message in the caller's transaction (sent once it commits)."""
    template = text or MESSAGES.get(Order.Status(order.status))
    if not template:
        return
    body = template.format(
        store=order.store.name,
        number=order.number,
        total=order.total,
        courier=order.courier,
        tracking=order.tracking_number,
    )
    event_emit(
        name=ORDER_NOTICE,
        payload={
            "channel_id": str(order.store.channel_id),
            "buyer_id": str(order.buyer.public_id),
            "text": body,
            "card": order_card(order),
        },
    )


@handles(ORDER_NOTICE)
def order_notice_send(payload: dict[str, Any]) -> None:
    from sangsaeng.accounts.selectors import user_get

    buyer = user_get(public_id=payload["buyer_id"])
    if buyer is None:
        return
    channels.buyer_message(
        channel_id=payload["channel_id"],
        customer=buyer,
        text=payload["text"],
        card=payload.get("card") if channels.card_kind_known("order") else None,
    )
