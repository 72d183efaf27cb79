"""The Pay ledger's word that an order's money arrived (`payments.payment_paid`).

Checkout and the card callback mark an order paid themselves, but the money can also arrive by a
path that never returns to commerce: the PG redirecting the buyer to Pay's own result page, or a
crash between the ledger's commit and the order's update. The payment's event is written in the
ledger's transaction, so this handler always hears of it: an order still waiting becomes paid, and
an order that closed unpaid meanwhile gets its money back. Both steps are conditional updates and
keyed refunds, so the event, its retries and checkout racing each other move the money once.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from sangsaeng.commerce import pay
from sangsaeng.commerce.checkout import order_mark_paid, unpaid_order_refund
from sangsaeng.commerce.models import Order
from sangsaeng.core.outbox import handles

log = logging.getLogger(__name__)

PAYMENT_PAID = "payments.payment_paid"  # Pay's event (payments.services.PAYMENT_PAID)
ORDER_REF = "commerce:order:"


def _order_for(payload: dict[str, Any]) -> Order | None:
    ref = str(payload.get("order_ref") or "")
    if not ref.startswith(ORDER_REF):
        return None
    try:
        public_id = UUID(ref.removeprefix(ORDER_REF))
    except ValueError:
        return None
    return Order.objects.select_related("store", "buyer").filter(public_id=public_id).first()


@handles(PAYMENT_PAID)
def order_paid_from_payment(payload: dict[str, Any]) -> None:
    """Mark the store order this payment was for paid, or refund it if the order closed unpaid."""
    order = _order_for(payload)
    if order is None:
        return
    payment_id = str(payload.get("payment_id") or "")
    if (
        payload.get("payee_ref") != pay.payee_ref(order.store.channel_id)
        or payload.get("amount") != order.total
        or str(payload.get("payer_id")) != str(order.buyer.public_id)
        or (order.payment_id and order.payment_id != payment_id)
    ):
        log.error("payment %s does not match order %s; left for an operator", payment_id, order.public_id)
        return
    if order.status == Order.Status.PLACED and order_mark_paid(order=order, payment_id=payment_id):
        return
    order.refresh_from_db()
    if order.paid_at is None and order.status in (Order.Status.EXPIRED, Order.Status.CANCELLED):
        unpaid_order_refund(order, payment_id)
