"""Making and editing cards; badges come from identity (name) and a company-email code (company)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from PIL import ImageOps

from sangsaeng.business_cards.changes import card_changed
from sangsaeng.business_cards.models import SHAREABLE_FIELDS, Card
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.images import ImageRefused, image_open_checked
from sangsaeng.identity import selectors as identity_selectors

TEXT_LIMITS = {"name": 60, "company": 100, "department": 100, "title": 60, "address": 200}
PHOTO_EDGE = 1024
PHOTO_MAX_PIXELS = 64_000_000
MAX_PHONES = 4


def _invalid(field: str, ko: str, en: str) -> Problem:
    return Problem(code="invalid_field", status=422, field=field, ko=ko, en=en)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field, limit in TEXT_LIMITS.items():
        if field in data:
            value = " ".join(str(data[field] or "").split())
            if len(value) > limit:
                raise _invalid(field, f"{limit}자 이하로 입력하세요.", f"At most {limit} characters.")
            clean[field] = value
    if "name" in clean and not clean["name"]:
        raise _invalid("name", "이름을 입력하세요.", "A name is required.")
    if "phones" in data:
        phones = [str(p).strip() for p in (data["phones"] or []) if str(p).strip()]
        if len(phones) > MAX_PHONES or any(len(p) > 20 or not set(p) <= set("+0123456789- ()") for p in phones):
            raise _invalid("phones", "전화번호 형식이 올바르지 않습니다.", "A phone number is not valid.")
        clean["phones"] = phones
    if data.get("email"):
        try:
            EmailValidator()(data["email"])
        except ValidationError as exc:
            raise _invalid("email", "이메일 형식이 올바르지 않습니다.", "The email is not valid.") from exc
    if "email" in data:
        clean["email"] = str(data["email"] or "").strip().lower()
    if data.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(data["website"])
        except ValidationError as exc:
            raise _invalid("website", "웹사이트 주소가 올바르지 않습니다.", "The website is not a URL.") from exc
    if "website" in data:
        clean["website"] = str(data["website"] or "").strip()
    if "theme" in data:
        if data["theme"] not in Card.Theme.values:
            raise _invalid("theme", "테마를 선택하세요.", "Choose a theme.")
        clean["theme"] = data["theme"]
    if "visible_fields" in data:
        visible = list(dict.fromkeys(data["visible_fields"] or []))
        if not set(visible) <= set(SHAREABLE_FIELDS):
            raise _invalid("visible_fields", "공개할 수 없는 항목입니다.", "Unknown field to show.")
        clean["visible_fields"] = visible
    return clean


def _photo(photo: bytes) -> tuple[bytes, str]:
    limit = settings.CARDS_PHOTO_MAX_BYTES
    if len(photo) > limit:
        raise Problem(
            code="photo_too_large",
            status=413,
            field="photo",
            extra={"limit": limit},
            ko=f"사진이 너무 큽니다. 최대 {limit // 1024}KB까지 올릴 수 있습니다.",
            en=f"The photo is too large; the limit is {limit:,} bytes.",
        )
    try:
        image = image_open_checked(
            photo, formats={"JPEG", "PNG"}, max_pixels=PHOTO_MAX_PIXELS, draft=(PHOTO_EDGE, PHOTO_EDGE)
        )
    except ImageRefused as exc:
        raise Problem(
            code="photo_type_unsupported",
            status=422,
            field="photo",
            ko="JPEG, PNG 사진만 올릴 수 있습니다.",
            en="Only JPEG or PNG photos are accepted.",
        ) from exc
    # re-encoded: a shared card must not hand out the phone's EXIF (GPS) or bytes that rode along
    image = ImageOps.exif_transpose(image)
    image.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P"):
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    image.convert("RGB").save(out, "JPEG", quality=88)
    return out.getvalue(), "image/jpeg"


def card_create(*, owner: Any, data: dict[str, Any], photo: bytes | None = None) -> Card:
    """A new card; by default every field is visible to receivers."""
    clean = _clean({"visible_fields": list(SHAREABLE_FIELDS), **data})
    if "name" not in clean:
        raise _invalid("name", "이름을 입력하세요.", "A name is required.")
    card = Card(owner=owner, **clean)
    if photo:
        card.photo, card.photo_type = _photo(photo)
    with transaction.atomic():
        card.save()
        card_changed(card)
    return card


def access_card(*, actor: Any, card_id: Any) -> Card:
    """The owner's card; one 404 for missing or someone else's."""
    card = Card.objects.filter(owner=actor, public_id=card_id).first()
    if card is None:
        raise not_found("card")
    return card


def card_update(*, actor: Any, card_id: Any, data: dict[str, Any], photo: bytes | None = None) -> Card:
    """Edit a card. Renaming the company drops the company badge until a new code is confirmed."""
    with transaction.atomic():
        card = access_card(actor=actor, card_id=card_id)
        clean = _clean(data)
        fields = list(clean)
        company_changed = "company" in clean and clean["company"] != card.company
        for field, value in clean.items():
            setattr(card, field, value)
        if company_changed and card.company_domain:
            card.company_domain, card.company_verified_at = "", None
            fields += ["company_domain", "company_verified_at"]
        if photo:
            card.photo, card.photo_type = _photo(photo)
            fields += ["photo", "photo_type"]
        card.save(update_fields=[*fields, "updated_at"])
        card_changed(card)
    return card


def card_delete(*, actor: Any, card_id: Any) -> None:
    card = access_card(actor=actor, card_id=card_id)
    with transaction.atomic():
        card_changed(card)
        card.delete()


def name_verified(card: Card) -> bool:
    """The name badge: the card's name is exactly the owner's verified legal name."""
    legal = identity_selectors.verified_legal_name(user=card.owner)
    return bool(legal) and " ".join(card.name.split()) == legal


def badges(card: Card) -> dict[str, Any]:
    return {"name_verified": name_verified(card), "company_domain": card.company_domain or None}
