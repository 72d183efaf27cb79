"""Domain events commerce writes to the outbox, and the handlers it runs for them.

`commerce.product_viewed`, `commerce.cart_added`, `commerce.checkout_started`, `commerce.order_paid`
and `commerce.order_refunded` feed the partner's own data (the insights app); every payload carries
the partner channel id and either the user or an anonymous session id. `commerce.order_delivered`
hands an authenticity-enabled product's passports to the buyer (see `passports`).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sangsaeng.core.outbox import event_emit

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
