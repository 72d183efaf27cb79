"""Domain events commerce writes to the outbox, and the handlers it runs for them.

`commerce.product_viewed`, `commerce.cart_added`, `commerce.checkout_started`, `commerce.order_paid`
and `commerce.order_refunded` feed the partner's own data (the insights app); every payload carries
the partner channel id and either the user or an anonymous session id. `commerce.order_delivered`
hands an authenticity-enabled product's passport to the buyer once that app is installed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps

from sangsaeng.core.outbox import event_emit, handles

PRODUCT_VIEWED = "commerce.product_viewed"
CART_ADDED = "commerce.cart_added"
CHECKOUT_STARTED = "commerce.checkout_started"
ORDER_PAID = "commerce.order_paid"
ORDER_REFUNDED = "commerce.order_refunded"
ORDER_DELIVERED = "commerce.order_delivered"


def visitor(*, user: Any = None, session_key: str | None = None) -> dict[str, Any]:
    """Who did it: the user's public id, or a hash of the session (never the session key itself)."""
    if user is not None and getattr(user, "is_authenticated", False):
        return {"user_id": str(user.public_id), "session_id": None}
    digest = hashlib.sha256((session_key or "").encode()).hexdigest()[:32] if session_key else None
    return {"user_id": None, "session_id": digest}


def emit(name: str, *, channel_id: Any, who: dict[str, Any], **fields: Any) -> None:
    event_emit(name=name, payload={"channel_id": str(channel_id), **who, **fields})


def product_view_record(*, product: Any, user: Any = None, session_key: str | None = None) -> None:
    """A product page was seen (by a user, or an anonymous session)."""
    emit(
        PRODUCT_VIEWED,
        channel_id=product.store.channel_id,
        who=visitor(user=user, session_key=session_key),
        product_id=str(product.public_id),
    )


@handles(ORDER_DELIVERED)
def passports_transfer(payload: dict[str, Any]) -> None:
    """Ownership of each authenticity-enabled unit passes to the buyer on delivery: one passport per
    shipped serial, each handover keyed by order, line and unit so a retried event moves nothing twice.
    A no-op until the authenticity app is installed."""
    if not apps.is_installed("sangsaeng.authenticity") or not payload.get("authenticity_lines"):
        return
    from sangsaeng.accounts.selectors import user_get
    from sangsaeng.authenticity import services as authenticity

    buyer = user_get(public_id=payload["buyer_id"])
    if buyer is None:
        return
    for line in payload["authenticity_lines"]:
        if not line.get("brand"):
            continue
        for i, serial in enumerate(line.get("serials") or []):
            authenticity.passport_transfer_on_delivery(
                brand=line["brand"],
                serial=serial,
                buyer=buyer,
                order_ref=f"{payload['order_number']}:{line['line_id'][:8]}:{i}",
            )
