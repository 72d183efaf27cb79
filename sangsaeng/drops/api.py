"""/api/v1/drops: drops, purchases, bids, creators, artworks, my collection, the secondary market."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from sangsaeng.core.errors import not_found
from sangsaeng.core.schemas import StrictInput
from sangsaeng.drops import selectors, services
from sangsaeng.drops.access import access_edition, is_operator
from sangsaeng.drops.models import Activity, Artwork, Bid, CreatorProfile, Drop, Edition, Listing
from sangsaeng.drops.problems import invalid

router = Router(tags=["drops"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _key(request: HttpRequest) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not key:
        raise invalid(
            "Idempotency-Key", "Idempotency-Key 헤더가 필요합니다.", "The Idempotency-Key header is required."
        )
    return key


class DropsDropOut(Schema):
    id: UUID
    title: str
    format: str
    state: str
    creator_id: UUID
    creator_name: str
    artwork_id: UUID
    preview_url: str
    opens_at: datetime
    closes_at: datetime | None
    edition_size: int
    per_user_limit: int
    sold: int
    remaining: int
    price: int | None
    leading_bid: int | None = None
    minimum_bid: int | None = None
    royalty_bps: int
    url: str


def _drop(drop: Drop) -> DropsDropOut:
    summary = selectors.drop_summary(drop)
    return DropsDropOut(
        id=drop.public_id,
        title=drop.title,
        format=drop.format,
        state=summary["state"],
        creator_id=drop.creator.public_id,
        creator_name=drop.creator.display_name,
        artwork_id=drop.artwork.public_id,
        preview_url=f"/drops/artworks/{drop.artwork.public_id}/preview",
        opens_at=drop.opens_at,
        closes_at=drop.closes_at,
        edition_size=drop.edition_size,
        per_user_limit=drop.per_user_limit,
        sold=drop.sold,
        remaining=summary["remaining"],
        price=summary["price"],
        leading_bid=summary.get("leading_bid"),
        minimum_bid=summary.get("minimum_bid"),
        royalty_bps=drop.royalty_bps,
        url=f"/drops/d/{drop.public_id}/",
    )


class DropsEditionOut(Schema):
    id: UUID
    drop_id: UUID
    title: str
    number: int
    edition_size: int
    status: str
    price_paid: int
    token_id: str | None
    minted: bool
    url: str


def _edition(edition: Edition) -> DropsEditionOut:
    return DropsEditionOut(
        id=edition.public_id,
        drop_id=edition.drop.public_id,
        title=edition.drop.title,
        number=edition.number,
        edition_size=edition.drop.edition_size,
        status=edition.status,
        price_paid=edition.price_paid,
        token_id=str(edition.token_id) if edition.token_id is not None else None,
        minted=edition.minted_at is not None,
        url=f"/drops/e/{edition.public_id}/",
    )


class DropsBidOut(Schema):
    id: UUID
    drop_id: UUID
    amount: int
    status: str
    closes_at: datetime | None


def _bid(bid: Bid) -> DropsBidOut:
    return DropsBidOut(
        id=bid.public_id, drop_id=bid.drop.public_id, amount=bid.amount, status=bid.status, closes_at=bid.drop.closes_at
    )


class DropsListingOut(Schema):
    id: UUID
    edition_id: UUID
    title: str
    number: int
    price: int
    status: str
    royalty_amount: int | None


def _listing(listing: Listing) -> DropsListingOut:
    return DropsListingOut(
        id=listing.public_id,
        edition_id=listing.edition.public_id,
        title=listing.edition.drop.title,
        number=listing.edition.number,
        price=listing.price,
        status=listing.status,
        royalty_amount=listing.royalty_amount,
    )


class DropsActivityOut(Schema):
    kind: str
    drop_id: UUID
    edition_id: UUID | None
    price: int | None
    royalty: int | None
    at: datetime


def _activity(row: Activity) -> DropsActivityOut:
    return DropsActivityOut(
        kind=row.kind,
        drop_id=row.drop.public_id,
        edition_id=row.edition.public_id if row.edition else None,
        price=row.price,
        royalty=row.royalty,
        at=row.created_at,
    )


class DropsCreatorOut(Schema):
    id: UUID
    display_name: str
    portfolio_url: str
    bio: str
    status: str
    decline_reason: str


def _creator(profile: CreatorProfile) -> DropsCreatorOut:
    return DropsCreatorOut(
        id=profile.public_id,
        display_name=profile.display_name,
        portfolio_url=profile.portfolio_url,
        bio=profile.bio,
        status=profile.status,
        decline_reason=profile.decline_reason,
    )


class DropsArtworkOut(Schema):
    id: UUID
    title: str
    kind: str
    preview_kind: str
    preview_url: str


def _artwork(artwork: Artwork) -> DropsArtworkOut:
    return DropsArtworkOut(
        id=artwork.public_id,
        title=artwork.title,
        kind=artwork.kind,
        preview_kind=artwork.preview_kind,
        preview_url=f"/drops/artworks/{artwork.public_id}/preview",
    )


class DropsApplyIn(StrictInput):
    display_name: str = Field(..., max_length=60, examples=["한빛"])
    portfolio_url: str = Field(..., max_length=300, examples=["https://portfolio.example/hanbit"])
    bio: str = Field("", max_length=2000)
    statement: str = Field("", max_length=2000)


class DropsReviewIn(StrictInput):
    approve: bool
    reason: str = Field("", max_length=500)


class DropsDropIn(StrictInput):
    format: str = Field("fixed", examples=["fixed"], max_length=10)
    title: str = Field("", max_length=100)
    description: str = Field("", max_length=4000)
    opens_at: datetime
    closes_at: datetime | None = None
    presale_opens_at: datetime | None = None
    price: int = Field(0, ge=0, le=10_000_000_000)
    edition_size: int = Field(1, ge=0, le=1_000_000)
    per_user_limit: int = Field(1, ge=0, le=1_000_000)
    reserve_price: int = Field(0, ge=0, le=10_000_000_000)
    min_increment: int = Field(1000, ge=0, le=10_000_000_000)
    anti_snipe_minutes: int = Field(5, ge=0, le=1440)
    extension_minutes: int = Field(5, ge=0, le=1440)
    start_price: int = Field(0, ge=0, le=10_000_000_000)
    floor_price: int = Field(0, ge=0, le=10_000_000_000)
    decay_amount: int = Field(0, ge=0, le=10_000_000_000)
    decay_minutes: int = Field(0, ge=0, le=100_000)
    royalty_bps: int = Field(1000, ge=0, le=10_000)
    allowlist_emails: list[str] = Field(default_factory=list, max_length=1000)


class DropsBidIn(StrictInput):
    amount: int = Field(..., ge=1, le=10_000_000_000, examples=[150000])


class DropsListIn(StrictInput):
    price: int = Field(..., ge=0, le=10_000_000_000, examples=[90000])


@router.get("/", response=list[DropsDropOut], summary="Drops, newest first")
def drop_list(request: HttpRequest) -> list[DropsDropOut]:
    return [_drop(d) for d in selectors.drop_list()]


@router.get("/collection", response=list[DropsEditionOut], summary="My editions")
def my_collection(request: HttpRequest) -> list[DropsEditionOut]:
    return [_edition(e) for e in selectors.collection(user=_user(request))]


@router.get("/listings", response=list[DropsListingOut], summary="Active secondary-market listings")
def listing_list(request: HttpRequest) -> list[DropsListingOut]:
    return [_listing(item) for item in selectors.listings_active()]


@router.post("/creators/apply", response={201: DropsCreatorOut}, summary="Apply as a creator")
def creator_apply(request: HttpRequest, payload: DropsApplyIn) -> Status[DropsCreatorOut]:
    profile = services.creator_apply(user=_user(request), **payload.model_dump())
    return Status(201, _creator(profile))


@router.get("/creators/me", response=DropsCreatorOut, summary="My creator application or profile")
def creator_me(request: HttpRequest) -> DropsCreatorOut:
    profile = selectors.creator_of(user=_user(request))
    if profile is None:
        raise not_found("creator")
    return _creator(profile)


@router.get("/creators/applications", response=list[DropsCreatorOut], summary="Curation queue (operators)")
def applications(request: HttpRequest) -> list[DropsCreatorOut]:
    if not is_operator(_user(request)):
        raise not_found("curation queue")
    return [_creator(p) for p in selectors.applications_pending()]


@router.post("/creators/{creator_id}/review", response=DropsCreatorOut, summary="Approve or decline (operators)")
def creator_review(request: HttpRequest, creator_id: UUID, payload: DropsReviewIn) -> DropsCreatorOut:
    profile = services.creator_review(
        operator=_user(request), creator_id=creator_id, approve=payload.approve, reason=payload.reason
    )
    return _creator(profile)


@router.post("/artworks", response={201: DropsArtworkOut}, summary="Upload an artwork (image, video or audio)")
def artwork_upload(
    request: HttpRequest, file: File[UploadedFile], title: Form[str], description: Form[str] = ""
) -> Status[DropsArtworkOut]:
    artwork = services.artwork_create(actor=_user(request), title=title, upload=file, description=description)
    return Status(201, _artwork(artwork))


@router.post("/artworks/{artwork_id}/drops", response={201: DropsDropOut}, summary="Schedule a drop of an artwork")
def drop_create(request: HttpRequest, artwork_id: UUID, payload: DropsDropIn) -> Status[DropsDropOut]:
    drop = services.drop_create(actor=_user(request), artwork_id=artwork_id, data=payload.model_dump())
    return Status(201, _drop(drop))


@router.get("/editions/{edition_id}", response=DropsEditionOut, summary="One of my editions")
def edition_get(request: HttpRequest, edition_id: UUID) -> DropsEditionOut:
    return _edition(access_edition(actor=_user(request), id=edition_id))


@router.post("/editions/{edition_id}/listings", response={201: DropsListingOut}, summary="List my edition for sale")
def listing_create(request: HttpRequest, edition_id: UUID, payload: DropsListIn) -> Status[DropsListingOut]:
    listing = services.listing_create(seller=_user(request), edition_id=edition_id, price=payload.price)
    return Status(201, _listing(listing))


@router.post("/editions/{edition_id}/withdraw", response=DropsEditionOut, summary="Withdraw to my linked wallet")
def edition_withdraw(request: HttpRequest, edition_id: UUID) -> DropsEditionOut:
    edition = services.edition_withdraw(owner=_user(request), edition_id=edition_id, idempotency_key=_key(request))
    return _edition(edition)


@router.post("/listings/{listing_id}/buy", response=DropsListingOut, summary="Buy a listed edition")
def listing_buy(request: HttpRequest, listing_id: UUID) -> DropsListingOut:
    listing = services.listing_buy(buyer=_user(request), listing_id=listing_id, idempotency_key=_key(request))
    return _listing(listing)


@router.post("/listings/{listing_id}/cancel", response=DropsListingOut, summary="Cancel my listing")
def listing_cancel(request: HttpRequest, listing_id: UUID) -> DropsListingOut:
    return _listing(services.listing_cancel(seller=_user(request), listing_id=listing_id))


@router.get("/{drop_id}", response=DropsDropOut, summary="One drop")
def drop_get(request: HttpRequest, drop_id: UUID) -> DropsDropOut:
    return _drop(selectors.drop_get(drop_id=drop_id))


@router.get("/{drop_id}/activity", response=list[DropsActivityOut], summary="A drop's activity feed")
def drop_activity(request: HttpRequest, drop_id: UUID) -> list[DropsActivityOut]:
    return [_activity(a) for a in selectors.activity_feed(drop=selectors.drop_get(drop_id=drop_id))]


@router.post(
    "/{drop_id}/purchase",
    response={201: DropsEditionOut},
    summary="Buy the next edition (Idempotency-Key required; 429 waiting_room under load)",
)
def purchase(request: HttpRequest, drop_id: UUID) -> Status[DropsEditionOut]:
    edition = services.edition_purchase(buyer=_user(request), drop_id=drop_id, idempotency_key=_key(request))
    return Status(201, _edition(edition))


@router.post("/{drop_id}/bids", response={201: DropsBidOut}, summary="Bid on an auction (Idempotency-Key required)")
def bid(request: HttpRequest, drop_id: UUID, payload: DropsBidIn) -> Status[DropsBidOut]:
    placed = services.bid_place(
        bidder=_user(request), drop_id=drop_id, amount=payload.amount, idempotency_key=_key(request)
    )
    return Status(201, _bid(placed))
