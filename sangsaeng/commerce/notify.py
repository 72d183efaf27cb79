"""Chat messages from the store's channel to the buyer when an order changes (sent after commit)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from sangsaeng.commerce import channels
from sangsaeng.commerce.models import Order

MESSAGES = {
    Order.Status.PAID: "[{store}] 주문 {number}이 결제되었습니다. 합계 {total:,}원. 곧 준비해 보내드릴게요.",
    Order.Status.PREPARING: "[{store}] 주문 {number}의 상품을 준비하고 있습니다.",
    Order.Status.SHIPPED: "[{store}] 주문 {number}이 발송되었습니다. {courier} 송장번호 {tracking}",
    Order.Status.DELIVERED: "[{store}] 주문 {number}이 배송 완료되었습니다. 상품을 확인하고 구매를 확정해 주세요.",
    Order.Status.CONFIRMED: "[{store}] 주문 {number}의 구매가 확정되었습니다. 리뷰를 남겨 주시면 큰 힘이 됩니다.",
    Order.Status.CANCELLED: "[{store}] 주문 {number}이 취소되었습니다. 결제하신 금액은 결제 수단으로 환불됩니다.",
    Order.Status.REFUNDED: "[{store}] 주문 {number}이 전액 환불되었습니다.",
}


def order_card(order: Order) -> dict[str, object]:
    return {
        "kind": "order",
        "order_id": str(order.public_id),
        "number": order.number,
        "status": order.status,
        "total": order.total,
        "url": reverse("commerce:order", args=[order.public_id]),
    }


def order_changed(order: Order, *, text: str | None = None) -> None:
    """Tell the buyer, from the store's channel, once the change has committed."""
    template = text or MESSAGES.get(Order.Status(order.status))
    if not template:
        return
    body = template.format(
        store=order.store.name, number=order.number, total=order.total,
        courier=order.courier, tracking=order.tracking_number,
    )
    channel_id, buyer, card = order.store.channel_id, order.buyer, order_card(order)
    transaction.on_commit(lambda: channels.buyer_message(channel_id=channel_id, customer=buyer, text=body, card=card))
