"""Authenticity-enabled products, reached only through the authenticity app's services.

A product may carry passports only when its brand is verified and linked to the store's partner
channel. At shipping the partner names each unit's serial and authenticity holds that passport for
the order line's unit; on delivery the outbox hands each held passport to the buyer; a refund
before delivery releases the holds. Without the authenticity app installed, none of this applies.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.apps import apps

from sangsaeng.commerce.events import ORDER_DELIVERED
from sangsaeng.core.outbox import handles


def enabled() -> bool:
    return apps.is_installed("sangsaeng.authenticity")


def _authenticity() -> Any:
    from sangsaeng.authenticity import services

    return services


def unit_ref(line_id: Any, index: int) -> str:
    """The store's name for one shipped unit, the key of its hand-over (at most 48 characters)."""
    return f"commerce:{line_id}:{index}"


def brand_check(*, slug: str, channel_id: UUID) -> None:
    """`brand_not_linked` unless `slug` is a verified brand selling through this channel."""
    if enabled():
        _authenticity().store_brand_check(slug=slug, channel_id=channel_id)


def hold(*, brand: str, channel_id: UUID, buyer: Any, line_id: Any, serials: list[str]) -> None:
    """Hold the passports of one order line's shipped units (in the caller's transaction)."""
    if enabled():
        _authenticity().passports_hold(
            brand=brand,
            channel_id=channel_id,
            buyer=buyer,
            units=[(unit_ref(line_id, i), serial) for i, serial in enumerate(serials)],
        )


def release(*, brand: str, line_id: Any, count: int) -> None:
    """The order was refunded before delivery: one line's held passports go back to the brand."""
    if enabled() and count:
        _authenticity().passports_release(brand=brand, order_refs=[unit_ref(line_id, i) for i in range(count)])


@handles(ORDER_DELIVERED)
def passports_transfer(payload: dict[str, Any]) -> None:
    """Ownership of each authenticity-enabled unit passes to the buyer on delivery: one passport per
    shipped serial, each hand-over keyed by order line and unit so a retried event moves nothing
    twice. A no-op without the authenticity app."""
    if not enabled() or not payload.get("authenticity_lines"):
        return
    from sangsaeng.accounts.selectors import user_get

    buyer = user_get(public_id=payload["buyer_id"])
    if buyer is None:
        return
    for line in payload["authenticity_lines"]:
        if not line.get("brand"):
            continue
        for i, serial in enumerate(line.get("serials") or []):
            _authenticity().passport_transfer_on_delivery(
                brand=line["brand"],
                channel_id=payload["channel_id"],
                serial=serial,
                buyer=buyer,
                order_ref=unit_ref(line["line_id"], i),
            )
