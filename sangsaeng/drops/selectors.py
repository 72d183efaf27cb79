"""Reads for pages and the API: drops by state, collections, provenance, the activity feed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from sangsaeng.chain import selectors as chain_selectors
from sangsaeng.drops.access import access_drop_public
from sangsaeng.drops.auctions import minimum_bid
from sangsaeng.drops.models import Activity, Artwork, Bid, CreatorProfile, Drop, Edition, Listing
from sangsaeng.drops.sales import current_price


def drop_state(drop: Drop) -> str:
    """upcoming, presale, open, sold_out, ended (or cancelled), as the pages show it."""
    now = timezone.now()
    if drop.cancelled_at:
        return "cancelled"
    if drop.format == Drop.Format.ENGLISH:
        if drop.settled_at or (drop.closes_at and now >= drop.closes_at):
            return "ended"
        return "open" if now >= drop.opens_at else "upcoming"
    if drop.sold >= drop.edition_size:
        return "sold_out"
    if drop.closes_at and now >= drop.closes_at:
        return "ended"
    if now >= drop.opens_at:
        return "open"
    if drop.presale_opens_at and now >= drop.presale_opens_at:
        return "presale"
    return "upcoming"


def _public_drops() -> QuerySet[Drop]:
    return Drop.objects.filter(
        cancelled_at__isnull=True, creator__status=CreatorProfile.Status.APPROVED
    ).select_related("artwork", "creator")


def drop_list(*, limit: int = 50) -> list[Drop]:
    return list(_public_drops().order_by("-opens_at")[:limit])


def drop_get(*, drop_id: Any) -> Drop:
    return access_drop_public(id=drop_id)


def drop_summary(drop: Drop) -> dict[str, Any]:
    """What a drop page and the API show: state, price now, remaining, auction standing."""
    data: dict[str, Any] = {
        "state": drop_state(drop),
        "price": current_price(drop) if drop.format != Drop.Format.ENGLISH else None,
        "remaining": max(0, drop.edition_size - drop.sold),
    }
    if drop.format == Drop.Format.ENGLISH:
        leading = Bid.objects.filter(drop=drop, status__in=[Bid.Status.LEADING, Bid.Status.WON]).first()
        data["leading_bid"] = int(leading.amount) if leading else None
        data["minimum_bid"] = minimum_bid(drop, leading if leading and leading.status == Bid.Status.LEADING else None)
        data["bids"] = Bid.objects.filter(drop=drop).count()
    return data


def creator_get_public(*, creator_id: Any) -> CreatorProfile | None:
    return CreatorProfile.objects.filter(public_id=creator_id, status=CreatorProfile.Status.APPROVED).first()


def creator_of(*, user: Any) -> CreatorProfile | None:
    return CreatorProfile.objects.filter(user=user).first()


def creator_drops(*, creator: CreatorProfile) -> list[Drop]:
    return list(_public_drops().filter(creator=creator).order_by("-opens_at"))


def creator_artworks(*, creator: CreatorProfile) -> list[Artwork]:
    return list(creator.artworks.order_by("-created_at"))


def applications_pending() -> list[CreatorProfile]:
    return list(CreatorProfile.objects.filter(status=CreatorProfile.Status.PENDING).order_by("created_at"))


def collection(*, user: Any) -> list[Edition]:
    """The editions a person owns now (withdrawn ones included, marked)."""
    return list(
        Edition.objects.filter(owner=user)
        .select_related("drop", "drop__artwork", "drop__creator")
        .order_by("-created_at")
    )


def edition_public(*, edition_id: Any) -> Edition | None:
    try:
        return Edition.objects.select_related("drop", "drop__artwork", "drop__creator", "owner").get(
            public_id=edition_id
        )
    except (Edition.DoesNotExist, ValueError):
        return None


def edition_active_listing(*, edition: Edition) -> Listing | None:
    return Listing.objects.filter(edition=edition, status=Listing.Status.ACTIVE).first()


def provenance(*, edition: Edition) -> list[Activity]:
    """Every event of one edition, oldest first: sale, mint, listings, resales, withdrawal."""
    return list(
        Activity.objects.filter(edition=edition).select_related("actor", "counterparty").order_by("created_at", "id")
    )


def price_history(*, edition: Edition) -> list[tuple[Any, int]]:
    return [
        (a.created_at, int(a.price or 0))
        for a in Activity.objects.filter(
            edition=edition, kind__in=[Activity.Kind.SALE, Activity.Kind.RESALE, Activity.Kind.WON]
        ).order_by("created_at", "id")
    ]


def chain_history(*, edition: Edition) -> list[Any]:
    """The edition's indexed on-chain transfers (mint first)."""
    if edition.token_id is None:
        return []
    return chain_selectors.token_history(contract_name="ArtworkEditions", token_id=int(edition.token_id))


def listings_active(*, limit: int = 50) -> list[Listing]:
    return list(
        Listing.objects.filter(status=Listing.Status.ACTIVE)
        .select_related("edition", "edition__drop", "edition__drop__artwork", "seller")
        .order_by("-created_at")[:limit]
    )


def listings_of(*, seller: Any) -> list[Listing]:
    return list(
        Listing.objects.filter(seller=seller).select_related("edition", "edition__drop").order_by("-created_at")
    )


def activity_feed(*, drop: Drop | None = None, limit: int = 30) -> list[Activity]:
    rows = Activity.objects.select_related("drop", "edition", "actor")
    if drop is not None:
        rows = rows.filter(drop=drop)
    return list(rows[:limit])


def artwork_public(*, artwork_id: Any) -> Artwork | None:
    return Artwork.objects.filter(public_id=artwork_id).select_related("creator").first()


def artwork_original_for(*, user: Any, artwork_id: Any) -> Artwork | None:
    """The artwork whose original `user` may download: an owner of one of its editions, or its creator."""
    artwork = artwork_public(artwork_id=artwork_id)
    if artwork is None:
        return None
    if artwork.creator.user_id == user.pk or Edition.objects.filter(drop__artwork=artwork, owner=user).exists():
        return artwork
    return None


def _uuids(public_ids: list[str]) -> list[UUID]:
    out = []
    for value in public_ids:
        try:
            out.append(UUID(str(value)))
        except ValueError:
            continue
    return out


def drops_for_search(*, public_ids: list[str] | None = None) -> QuerySet[Drop]:
    """Drops anyone can open (not cancelled, by an approved creator), for the search index."""
    query = _public_drops()
    return (query if public_ids is None else query.filter(public_id__in=_uuids(public_ids))).order_by("pk")


def artworks_for_search(*, public_ids: list[str] | None = None) -> QuerySet[Artwork]:
    """Artworks of approved creators that are in at least one public drop, with that drop's id
    (`drop_public_id`, the newest) so a result can open its page."""
    newest = _public_drops().filter(artwork=OuterRef("pk")).order_by("-opens_at").values("public_id")[:1]
    query = Artwork.objects.filter(creator__status=CreatorProfile.Status.APPROVED)
    if public_ids is not None:
        query = query.filter(public_id__in=_uuids(public_ids))
    return (
        query.annotate(drop_public_id=Subquery(newest))
        .filter(drop_public_id__isnull=False)
        .select_related("creator")
        .order_by("pk")
    )
