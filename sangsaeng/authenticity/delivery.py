"""Store units: a brand's partner channel sells serialised units, and the buyer becomes the owner
when the delivery is confirmed.

Only a verified brand's own partner channel may sell its passports (`store_brand_check`): a store
naming another brand's slug would otherwise hand that brand's units to its own buyers. At shipping
the partner names each unit's serial and its passport is held for that unit (`passports_hold`): it
must be the brand's, still in custody and not held for another order, so a wrong or repeated serial
is refused while the partner can still fix it, and two orders never get the same passport. Delivery
(`passport_transfer_on_delivery`, run by the store's outbox handler) moves the held passport to the
buyer's custodial wallet; a refund before delivery releases the hold (`passports_release`). Every
step is keyed by the store's unit reference, so a retried event moves nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.authenticity.models import Brand, DeliveryHandover, Passport, ProvenanceEvent
from sangsaeng.authenticity.ownership import _claimable, _give, _locked
from sangsaeng.core.errors import Problem, not_found

State = DeliveryHandover.State
MAX_UNITS = 500


def store_brand_check(*, slug: str, channel_id: Any) -> Brand:
    """The verified brand `slug` if it sells through partner channel `channel_id`; otherwise
    `brand_not_linked`, the same answer for an unknown, unverified or someone else's brand."""
    brand = Brand.objects.filter(slug=str(slug or "").strip()[:60]).first()
    if brand is None or not brand.is_verified or str(brand.partner_channel_id or "") != str(channel_id or "-"):
        raise Problem(
            code="brand_not_linked",
            status=422,
            ko="이 채널과 연결된 인증 브랜드가 아닙니다. 브랜드 관리에서 채널을 연결하고 운영자 인증을 받으세요.",
            en="No verified brand with this slug is linked to this channel.",
            field="authenticity_brand",
        )
    return brand


def _ref_clean(order_ref: Any) -> str:
    ref = str(order_ref or "").strip()
    if not ref or len(ref) > 100:
        raise Problem(
            code="invalid_order_ref",
            status=422,
            ko="주문 번호가 올바르지 않습니다.",
            en="The order reference must be 1 to 100 characters.",
            field="order_ref",
        )
    return ref


def _unit_problem(code: str, status: int, ko: str, en: str, serial: str) -> Problem:
    return Problem(code=code, status=status, ko=ko, en=en, field="serials", extra={"serial": serial})


def passports_hold(*, brand: str, channel_id: Any, buyer: Any, units: Sequence[tuple[str, str]]) -> list[Passport]:
    """Hold each unit's passport, named by serial, for the store's unit reference (all or none).

    Refused with the serial at fault: `unknown_serial` (not this brand's), `already_claimed` (it
    has an owner), `serial_held` (shipped in another order) or `duplicate_serial`. Holding the same
    unit again with the same serial changes nothing.
    """
    brand_row = store_brand_check(slug=brand, channel_id=channel_id)
    if len(units) > MAX_UNITS:
        raise _unit_problem("invalid_field", 422, "한 번에 너무 많습니다.", "Too many units at once.", "")
    cleaned = [(_ref_clean(ref), str(serial or "").strip()[:80]) for ref, serial in units]
    seen: set[str] = set()
    for _ref, serial in cleaned:
        if serial in seen:
            raise _unit_problem(
                "duplicate_serial",
                422,
                f"일련번호 {serial}이(가) 두 번 입력되었습니다.",
                "A serial is repeated.",
                serial,
            )
        seen.add(serial)
    try:
        with transaction.atomic():
            rows = Passport.objects.select_for_update().filter(brand=brand_row, serial__in=seen)
            passports = {p.serial: p for p in rows}
            held = {
                h.order_ref: h
                for h in DeliveryHandover.objects.filter(brand=brand_row, order_ref__in=[r for r, _s in cleaned])
            }
            out = []
            for ref, serial in cleaned:
                passport = passports.get(serial)
                if passport is None:
                    raise _unit_problem(
                        "unknown_serial",
                        422,
                        f"{brand_row.name}에서 발행한 일련번호 {serial}의 제품 여권이 없습니다.",
                        f"{brand_row.name} has issued no passport with serial {serial}.",
                        serial,
                    )
                existing = held.get(ref)
                if existing is not None:
                    if existing.passport_id != passport.pk or existing.state == State.RELEASED:
                        raise _unit_problem(
                            "unit_already_shipped",
                            409,
                            "이미 다른 일련번호로 발송된 상품입니다.",
                            "This unit was already shipped with another serial.",
                            serial,
                        )
                    out.append(passport)
                    continue
                if passport.owner_id is not None or passport.external_address:
                    raise _unit_problem(
                        "already_claimed",
                        409,
                        f"일련번호 {serial}은(는) 이미 소유자가 등록된 제품입니다.",
                        f"Serial {serial} already has a registered owner.",
                        serial,
                    )
                if DeliveryHandover.objects.filter(passport=passport, state=State.HELD).exists():
                    raise _unit_problem(
                        "serial_held",
                        409,
                        f"일련번호 {serial}은(는) 다른 주문으로 배송 중입니다.",
                        f"Serial {serial} is on its way in another order.",
                        serial,
                    )
                DeliveryHandover.objects.create(
                    brand=brand_row, order_ref=ref, passport=passport, buyer=buyer, state=State.HELD
                )
                out.append(passport)
    except IntegrityError as exc:  # a concurrent shipment held the same passport first
        raise _unit_problem(
            "serial_held",
            409,
            "다른 주문으로 배송 중인 일련번호입니다.",
            "A serial is on its way in another order.",
            "",
        ) from exc
    return out


def passports_release(*, brand: str, order_refs: Sequence[str]) -> int:
    """The order was refunded before delivery: its units' passports go back to custody's pool."""
    refs = [str(r)[:100] for r in order_refs]
    return DeliveryHandover.objects.filter(brand__slug=str(brand or ""), order_ref__in=refs, state=State.HELD).update(
        state=State.RELEASED, settled_at=timezone.now()
    )


def passport_transfer_on_delivery(*, brand: str, channel_id: Any, serial: str, buyer: Any, order_ref: str) -> Passport:
    """A store order was delivered: the passport of the unit shipped becomes the buyer's.

    A unit held at shipping is handed over as held (that check already passed, so a brand that
    unlinks its channel meanwhile can't strand a paid buyer); a unit never held must pass the
    store-brand check now. Idempotent per (brand, unit reference): a retried delivery event returns
    the same passport and moves nothing twice.
    """
    order_ref = _ref_clean(order_ref)
    brand_row = Brand.objects.filter(slug=str(brand or "").strip()[:60]).first()
    if brand_row is None:
        raise not_found("brand")
    with transaction.atomic():
        handover = (
            DeliveryHandover.objects.select_for_update()
            .select_related("passport")
            .filter(brand=brand_row, order_ref=order_ref)
            .first()
        )
        if handover is not None and handover.state == State.DELIVERED:
            return handover.passport
        if handover is not None and handover.state == State.RELEASED:
            raise Problem(
                code="handover_released",
                status=409,
                ko="환불된 주문이라 소유권을 넘기지 않습니다.",
                en="The order was refunded before delivery; no ownership passes.",
            )
        if handover is None:
            store_brand_check(slug=brand_row.slug, channel_id=channel_id)
            found = Passport.objects.filter(brand=brand_row, serial=str(serial or "").strip()[:80]).first()
            if found is None:
                raise not_found("passport")
            if DeliveryHandover.objects.filter(passport=found, state=State.HELD).exists():
                raise not_found("passport")
            passport = _locked(found.token_id)
        else:
            if handover.buyer_id != getattr(buyer, "pk", None):
                raise not_found("passport")
            passport = _locked(handover.passport.token_id)
        if passport.owner_id != getattr(buyer, "pk", None):
            _claimable(passport, "serial")
            _give(passport, to_user=buyer, kind=ProvenanceEvent.Kind.DELIVERED, actor=None)
        if handover is None:
            DeliveryHandover.objects.create(
                brand=brand_row,
                order_ref=order_ref,
                passport=passport,
                buyer=buyer,
                state=State.DELIVERED,
                settled_at=timezone.now(),
            )
        else:
            handover.state, handover.settled_at = State.DELIVERED, timezone.now()
            handover.save(update_fields=["state", "settled_at"])
    return passport
