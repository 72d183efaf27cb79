"""NFC tags for a brand: made in batches for personalisation, then attached to passports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from sangsaeng.authenticity.brands import access_brand
from sangsaeng.authenticity.issuance import tag_code_new
from sangsaeng.authenticity.models import Brand, Passport, Tag, token_id_valid
from sangsaeng.authenticity.verification import tag_keys_for
from sangsaeng.core.errors import Problem, not_found

MAX_TAGS_PER_CALL = 1000


def nfc_url_template(code: str) -> str:
    """The NDEF URL the encoder writes; the chip fills the starred fields on every tap."""
    return f"{settings.PUBLIC_URL}/authenticity/n/{code}?picc_data={'*' * 32}&cmac={'*' * 16}"


def nfc_tags_create(*, brand: Brand, count: int) -> list[dict[str, str]]:
    """Make `count` NFC tags; returns what the encoder needs for each (keys are derived, never stored)."""
    if not 1 <= count <= MAX_TAGS_PER_CALL:
        raise Problem(
            code="invalid_count",
            status=422,
            ko=f"태그 수는 1~{MAX_TAGS_PER_CALL}개입니다.",
            en=f"Make 1 to {MAX_TAGS_PER_CALL} tags at a time.",
            field="count",
        )
    with transaction.atomic():
        tags = Tag.objects.bulk_create([Tag(brand=brand, kind=Tag.Kind.NFC, code=tag_code_new()) for _ in range(count)])
    out = []
    for tag in tags:
        tag.brand = brand
        meta_key, file_key = tag_keys_for(tag)
        out.append(
            {
                "code": tag.code,
                "sdm_meta_read_key": meta_key.hex().upper(),
                "sdm_file_read_key": file_key.hex().upper(),
                "url_template": nfc_url_template(tag.code),
            }
        )
    return out


def brand_nfc_tags_create(*, actor: Any, slug: str, count: int) -> list[dict[str, str]]:
    return nfc_tags_create(brand=access_brand(actor=actor, slug=slug, roles=("owner",)), count=count)


def tag_attach(*, actor: Any, slug: str, tag_code: str, token_id: int) -> Tag:
    """Put a brand's NFC tag on one of its passports."""
    brand = access_brand(actor=actor, slug=slug)
    tag = Tag.objects.filter(brand=brand, code=tag_code, kind=Tag.Kind.NFC).first()
    passport = Passport.objects.filter(brand=brand, token_id=token_id).first() if token_id_valid(token_id) else None
    if tag is None or passport is None:
        raise not_found("tag")
    if tag.passport_id not in (None, passport.pk):
        raise Problem(
            code="tag_in_use",
            status=409,
            ko="이미 다른 제품에 붙인 태그입니다.",
            en="This tag is on another product.",
            field="tag_code",
        )
    tag.passport = passport
    tag.save(update_fields=["passport", "updated_at"])
    return tag
