"""Brands: created by anyone, verified by an operator, run by their members."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from sangsaeng.authenticity.keys import master_key_seal
from sangsaeng.authenticity.models import Brand, BrandMember
from sangsaeng.core.audit import audit_record
from sangsaeng.core.errors import Problem, not_found


def _is_operator(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False))


def brand_create(
    *,
    owner: Any,
    name: str,
    slug: str = "",
    description: str = "",
    website: str = "",
    partner_channel_id: UUID | None = None,
) -> Brand:
    """A new, unverified brand with `owner` as its first member. It issues nothing until verified."""
    name = (name or "").strip()
    description, website = (description or "").replace("\x00", ""), (website or "").replace("\x00", "")
    if not name or len(name) > 100 or "\x00" in name:
        raise Problem(
            code="invalid_name",
            status=422,
            ko="브랜드 이름은 1~100자입니다.",
            en="The brand name must be 1 to 100 characters.",
            field="name",
        )
    slug = slugify(slug or name, allow_unicode=False)[:60]
    if not slug:
        raise Problem(
            code="invalid_slug",
            status=422,
            ko="영문 주소 이름(slug)을 정해 주세요.",
            en="Choose a Latin-letter slug for the brand.",
            field="slug",
        )
    try:
        with transaction.atomic():
            brand = Brand(
                name=name,
                slug=slug,
                description=description[:2000],
                website=website[:200],
                partner_channel_id=partner_channel_id,
            )
            brand.sealed_master_key = master_key_seal(brand_public_id=brand.public_id)
            brand.save()
            BrandMember.objects.create(brand=brand, user=owner, role=BrandMember.Role.OWNER)
    except IntegrityError as exc:
        raise Problem(
            code="slug_taken",
            status=409,
            ko="이미 쓰이는 주소 이름입니다.",
            en="This slug is already taken.",
            field="slug",
        ) from exc
    audit_record(action="authenticity.brand_created", actor=owner, target=str(brand.public_id))
    return brand


def access_brand(*, actor: Any, slug: str, roles: tuple[str, ...] = ("owner", "staff")) -> Brand:
    """The brand if `actor` is one of its members with one of `roles`; the same 404 otherwise."""
    member = (
        BrandMember.objects.select_related("brand")
        .filter(brand__slug=slug, user_id=int(getattr(actor, "pk", 0) or 0), role__in=roles)
        .first()
    )
    if member is None:
        raise not_found("brand")
    return member.brand


def access_verified_brand(*, actor: Any, slug: str) -> Brand:
    brand = access_brand(actor=actor, slug=slug)
    if not brand.is_verified:
        raise Problem(
            code="brand_not_verified",
            status=403,
            ko="운영자가 브랜드를 인증한 뒤에 발행할 수 있습니다.",
            en="An operator must verify the brand before it issues passports.",
        )
    return brand


def brand_verify(*, actor: Any, slug: str, verified: bool = True) -> Brand:
    """An operator grants (or withdraws) the verified badge; to anyone else the brand does not exist."""
    if not _is_operator(actor):
        raise not_found("brand")
    brand = Brand.objects.filter(slug=slug).first()
    if brand is None:
        raise not_found("brand")
    brand.verified_at = timezone.now() if verified else None
    brand.verified_by = actor if verified else None
    brand.save(update_fields=["verified_at", "verified_by", "updated_at"])
    audit_record(
        action="authenticity.brand_verified" if verified else "authenticity.brand_unverified",
        actor=actor,
        target=str(brand.public_id),
    )
    return brand


def member_add(*, actor: Any, slug: str, user: Any, role: str = "staff") -> BrandMember:
    """Only a brand owner adds members."""
    brand = access_brand(actor=actor, slug=slug, roles=("owner",))
    if role not in BrandMember.Role.values:
        raise Problem(code="invalid_role", status=422, ko="역할이 올바르지 않습니다.", en="Unknown role.", field="role")
    member, _ = BrandMember.objects.update_or_create(brand=brand, user=user, defaults={"role": role})
    return member


def brand_link_channel(*, actor: Any, slug: str, partner_channel_id: UUID | None) -> Brand:
    brand = access_brand(actor=actor, slug=slug, roles=("owner",))
    brand.partner_channel_id = partner_channel_id
    brand.save(update_fields=["partner_channel_id", "updated_at"])
    return brand
