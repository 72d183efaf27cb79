"""Reads: the public passport view (never the owner's identity), consoles and lists."""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from sangsaeng.authenticity.models import Brand, BrandMember, Passport, ProvenanceEvent, Tag, token_id_valid
from sangsaeng.chain import selectors as chain_selectors
from sangsaeng.core.errors import not_found


def passport_get(*, token_id: int) -> Passport:
    if not token_id_valid(token_id):
        raise not_found("passport")
    passport = Passport.objects.select_related("brand").filter(token_id=token_id).first()
    if passport is None:
        raise not_found("passport")
    return passport


def _tx(key: str) -> dict[str, Any] | None:
    row = chain_selectors.transaction_get_by_key(idempotency_key=key) if key else None
    if row is None:
        return None
    return {
        "id": str(row.public_id),
        "status": row.status,
        "tx_hash": row.tx_hash or None,
        "block_number": row.block_number,
    }


def _add_months(moment: datetime, months: int) -> datetime:
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _started(passport: Passport) -> datetime | None:
    first = passport.events.filter(kind__in=[ProvenanceEvent.Kind.CLAIMED, ProvenanceEvent.Kind.DELIVERED]).first()
    return first.created_at if first else None


def warranty_status(passport: Passport) -> dict[str, Any]:
    """The warranty runs from the first owner registration for `warranty_months`."""
    if not passport.warranty_months:
        return {"status": "none", "months": 0, "until": None}
    started = _started(passport)
    if started is None:
        return {"status": "not_started", "months": passport.warranty_months, "until": None}
    until = _add_months(started, passport.warranty_months)
    return {
        "status": "active" if timezone.now() <= until else "expired",
        "months": passport.warranty_months,
        "until": until,
    }


def passport_public(passport: Passport) -> dict[str, Any]:
    """Everything anyone may see about a passport: whether it has an owner, never who."""
    chain_owner = chain_selectors.token_owner_indexed(contract_name="ProductPassport", token_id=passport.token_id)
    return {
        "token_id": passport.token_id,
        "brand": {"name": passport.brand.name, "slug": passport.brand.slug, "verified": passport.brand.is_verified},
        "product": passport.metadata.get("product", {}),
        "serial": passport.serial,
        "manufactured": passport.metadata.get("manufactured", {}),
        "materials": passport.metadata.get("materials", []),
        "images": passport.metadata.get("images", []),
        # the page's CSP loads images from this site only; other hosts' images are shown as links
        "images_local": [u for u in passport.metadata.get("images", []) if u.startswith(settings.PUBLIC_URL + "/")],
        "warranty": {**warranty_status(passport), "terms": passport.metadata.get("warranty", {}).get("terms", "")},
        "metadata_url": f"{settings.PUBLIC_URL}/authenticity/p/{passport.token_id}.json",
        "metadata_sha256": passport.metadata_sha256,
        "issued_at": passport.issued_at,
        "issue_transaction": _tx(passport.issue_key),
        "registered": passport.owner_id is not None or bool(passport.external_address),
        "held_externally": bool(passport.external_address),
        "chain_holder_indexed": chain_owner,
        "state": passport.state,
        "history": [
            {"kind": e.kind, "label": e.get_kind_display(), "at": e.created_at, "transaction": _tx(e.chain_key)}
            for e in passport.events.all()
        ],
    }


def brands_of(*, user: Any) -> list[Brand]:
    return list(Brand.objects.filter(members__user_id=int(getattr(user, "pk", 0) or 0)).order_by("name"))


def brand_role(*, brand: Brand, user: Any) -> str | None:
    member = BrandMember.objects.filter(brand=brand, user_id=int(getattr(user, "pk", 0) or 0)).first()
    return member.role if member else None


def brands_for_review() -> list[Brand]:
    return list(Brand.objects.order_by("verified_at", "-created_at"))


def brand_passports(*, brand: Brand, limit: int = 200) -> list[Passport]:
    return list(Passport.objects.filter(brand=brand).order_by("-issued_at", "-id")[:limit])


def brand_passport(*, brand: Brand, token_id: int) -> Passport:
    if not token_id_valid(token_id):
        raise not_found("passport")
    passport = Passport.objects.filter(brand=brand, token_id=token_id).first()
    if passport is None:
        raise not_found("passport")
    return passport


def brand_tags(*, brand: Brand, kind: str = "nfc", limit: int = 200) -> list[Tag]:
    return list(Tag.objects.filter(brand=brand, kind=kind).select_related("passport").order_by("-created_at")[:limit])


def brand_customers(*, brand: Brand) -> list[dict[str, Any]]:
    """Registered customers: owners who consented to be known to the brand, and nobody else."""
    rows = Passport.objects.filter(brand=brand, owner__isnull=False, owner_consent=True).select_related("owner")
    return [
        {
            "email": p.owner.email,
            "name": getattr(p.owner, "display_name", ""),
            "serial": p.serial,
            "product": p.product_name,
            "since": p.claimed_at,
        }
        for p in rows
        if p.owner is not None
    ]


def passports_owned(*, user: Any) -> list[Passport]:
    return list(
        Passport.objects.filter(owner_id=getattr(user, "pk", None)).select_related("brand").order_by("-claimed_at")
    )


def passport_qr_code(*, passport: Passport) -> str:
    tag = passport.tags.filter(kind=Tag.Kind.QR).first()
    return tag.code if tag else ""
