"""/api/v1/cards: my cards, company badge codes, sharing payloads and the card book."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status, UploadedFile

from sangsaeng.business_cards import selectors, services, sharing
from sangsaeng.business_cards.models import Card, CardBookEntry
from sangsaeng.core.schemas import StrictInput

router = Router(tags=["business_cards"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class BadgesOut(Schema):
    name_verified: bool
    company_domain: str | None


class CardOut(Schema):
    id: UUID
    name: str
    company: str
    department: str
    title: str
    phones: list[str]
    email: str
    address: str
    website: str
    theme: str
    visible_fields: list[str]
    badges: BadgesOut
    public_url: str
    updated_at: datetime


def _card(card: Card) -> CardOut:
    return CardOut(
        id=card.public_id,
        name=card.name,
        company=card.company,
        department=card.department,
        title=card.title,
        phones=card.phones,
        email=card.email,
        address=card.address,
        website=card.website,
        theme=card.theme,
        visible_fields=card.visible_fields,
        badges=BadgesOut(**selectors.badges(card)),
        public_url=sharing.public_url(card),
        updated_at=card.updated_at,
    )


class CardIn(StrictInput):
    name: str = Field(..., max_length=60, examples=["김상생"])
    company: str = Field("", max_length=100, examples=["상생 주식회사"])
    department: str = Field("", max_length=100)
    title: str = Field("", max_length=60)
    phones: list[str] = Field(default_factory=list, max_length=4)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)
    website: str = Field("", max_length=200)
    theme: str = "mint"
    visible_fields: list[str] | None = None


class CardPatch(StrictInput):
    name: str | None = Field(None, max_length=60)
    company: str | None = Field(None, max_length=100)
    department: str | None = Field(None, max_length=100)
    title: str | None = Field(None, max_length=60)
    phones: list[str] | None = Field(None, max_length=4)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=200)
    website: str | None = Field(None, max_length=200)
    theme: str | None = None
    visible_fields: list[str] | None = None


@router.get("/cards", response=list[CardOut], summary="My business cards")
def card_list(request: HttpRequest) -> list[CardOut]:
    return [_card(c) for c in selectors.card_list(owner=_user(request))]


@router.post("/cards", response={201: CardOut}, summary="Make a business card")
def card_create(request: HttpRequest, payload: CardIn) -> Status[CardOut]:
    data = payload.model_dump(exclude_none=True)
    return Status(201, _card(services.card_create(owner=_user(request), data=data)))


@router.get("/cards/{card_id}", response=CardOut, summary="One of my cards")
def card_get(request: HttpRequest, card_id: UUID) -> CardOut:
    return _card(services.access_card(actor=_user(request), card_id=card_id))


@router.patch("/cards/{card_id}", response=CardOut, summary="Edit my card; holders see the change")
def card_update(request: HttpRequest, card_id: UUID, payload: CardPatch) -> CardOut:
    data = payload.model_dump(exclude_unset=True)
    return _card(services.card_update(actor=_user(request), card_id=card_id, data=data))


@router.delete("/cards/{card_id}", response={204: None}, summary="Delete my card")
def card_delete(request: HttpRequest, card_id: UUID) -> Status[None]:
    services.card_delete(actor=_user(request), card_id=card_id)
    return Status(204, None)


@router.post("/cards/{card_id}/photo", response=CardOut, summary="Upload the card's photo or logo (JPEG or PNG)")
def card_photo(request: HttpRequest, card_id: UUID, photo: File[UploadedFile]) -> CardOut:
    data = photo.read(settings.CARDS_PHOTO_MAX_BYTES + 1)
    return _card(services.card_update(actor=_user(request), card_id=card_id, data={}, photo=data))


class CompanyEmailIn(StrictInput):
    email: str = Field(..., max_length=254, examples=["kim@sangsaeng.kr"])


class CompanyCodeIn(StrictInput):
    code: str = Field(..., max_length=10)


@router.post(
    "/cards/{card_id}/company-email", response={202: dict[str, str]}, summary="Mail a code to a company-domain address"
)
def company_code_send(request: HttpRequest, card_id: UUID, payload: CompanyEmailIn) -> Status[dict[str, str]]:
    row = services.company_code_send(actor=_user(request), card_id=card_id, email=payload.email)
    return Status(202, {"email": row.email})


@router.post("/cards/{card_id}/company-email/confirm", response=CardOut, summary="Confirm the company code")
def company_code_confirm(request: HttpRequest, card_id: UUID, payload: CompanyCodeIn) -> CardOut:
    return _card(services.company_code_confirm(actor=_user(request), card_id=card_id, code=payload.code))


@router.get(
    "/cards/{card_id}/share",
    response=dict[str, Any],
    summary="The share payload (visible fields, badges, links, signed SD-JWT) for a chat message",
)
def card_share(request: HttpRequest, card_id: UUID) -> dict[str, Any]:
    return services.card_share_payload(actor=_user(request), card_id=card_id)


class EntryOut(Schema):
    id: UUID
    card: dict[str, Any]
    badges: BadgesOut
    note: str
    tags: list[str]
    updated_since_seen: bool


def _entry(entry: CardBookEntry) -> EntryOut:
    return EntryOut(
        id=entry.public_id,
        card=selectors.visible(entry.card),
        badges=BadgesOut(**selectors.badges(entry.card)),
        note=entry.note,
        tags=entry.tags,
        updated_since_seen=selectors.entry_updated(entry),
    )


class BookAddIn(StrictInput):
    card_id: UUID | None = None
    sd_jwt: str | None = Field(None, max_length=20_000, description="A signed card received offline or in chat")


class EntryPatch(StrictInput):
    note: str | None = Field(None, max_length=2000)
    tags: list[str] | None = None


@router.get("/card-book", response=list[EntryOut], summary="My card book, searchable")
def book_list(request: HttpRequest, q: str = "", tag: str = "") -> list[EntryOut]:
    return [_entry(e) for e in selectors.book_list(holder=_user(request), query=q[:100], tag=tag[:30])]


@router.post("/card-book", response={201: EntryOut}, summary="Save a received card (by id or signed SD-JWT)")
def book_add(request: HttpRequest, payload: BookAddIn) -> Status[EntryOut]:
    if payload.sd_jwt:
        entry = services.book_add_signed(holder=_user(request), sd_jwt=payload.sd_jwt)
    else:
        entry = services.book_add(holder=_user(request), card_id=payload.card_id)
    return Status(201, _entry(entry))


@router.patch("/card-book/{entry_id}", response=EntryOut, summary="Note and tags on a saved card")
def entry_update(request: HttpRequest, entry_id: UUID, payload: EntryPatch) -> EntryOut:
    return _entry(services.entry_update(actor=_user(request), entry_id=entry_id, note=payload.note, tags=payload.tags))


@router.delete("/card-book/{entry_id}", response={204: None}, summary="Remove a saved card")
def entry_delete(request: HttpRequest, entry_id: UUID) -> Status[None]:
    services.entry_delete(actor=_user(request), entry_id=entry_id)
    return Status(204, None)
