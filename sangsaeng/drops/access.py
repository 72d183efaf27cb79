"""Guards: fetch an object for an actor, with one 404 for "missing" and "not yours"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from sangsaeng.core.errors import not_found
from sangsaeng.drops.models import Artwork, CreatorProfile, Drop, Edition, Listing
from sangsaeng.drops.problems import not_creator


def _get(queryset: Any, thing: str, public_id: Any) -> Any:
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValidationError, ValueError) as exc:
        raise not_found(thing) from exc


def access_creator(*, actor: Any) -> CreatorProfile:
    """The actor's own approved creator profile, or a 403 saying only approved creators may."""
    profile = CreatorProfile.objects.filter(user=actor, status=CreatorProfile.Status.APPROVED).first()
    if profile is None:
        raise not_creator()
    return profile


def access_artwork(*, actor: Any, id: Any) -> Artwork:
    return _get(Artwork.objects.filter(creator__user=actor).select_related("creator"), "artwork", id)


def access_drop_public(*, id: Any) -> Drop:
    """Drops are public once an approved creator publishes them."""
    return _get(
        Drop.objects.filter(cancelled_at__isnull=True, creator__status=CreatorProfile.Status.APPROVED).select_related(
            "artwork", "creator", "creator__user"
        ),
        "drop",
        id,
    )


def access_drop_own(*, actor: Any, id: Any) -> Drop:
    return _get(Drop.objects.filter(creator__user=actor).select_related("artwork", "creator"), "drop", id)


def access_edition(*, actor: Any, id: Any) -> Edition:
    """An edition its actor owns now; anyone else (the previous owner too) gets 404."""
    return _get(Edition.objects.filter(owner=actor).select_related("drop", "drop__creator"), "edition", id)


def access_listing_own(*, actor: Any, id: Any) -> Listing:
    return _get(Listing.objects.filter(seller=actor).select_related("edition"), "listing", id)


def access_listing_public(*, id: Any) -> Listing:
    return _get(
        Listing.objects.select_related("edition", "edition__drop", "edition__drop__creator__user", "seller"),
        "listing",
        id,
    )


def is_operator(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False))
