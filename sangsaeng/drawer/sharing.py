"""Share links: a public link to one item or album, optionally expiring and password-protected.

The token has 192 bits of entropy; the password is hashed with the platform's password hasher.
An expired, revoked or unknown link gives the same 404.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from uuid import UUID

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Q
from django.utils import timezone

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.drawer.models import Item, ShareLink
from sangsaeng.drawer.services import access_album, access_item


def share_create(
    *,
    actor: User,
    item_id: UUID | str | None = None,
    album_id: UUID | str | None = None,
    expires_in_days: int | None = None,
    password: str = "",
) -> ShareLink:
    """Create a link to one of the actor's items or albums."""
    if expires_in_days is not None and not (1 <= expires_in_days <= 365):
        raise Problem(
            code="invalid_field",
            status=422,
            ko="만료일은 1~365일입니다.",
            en="Expiry must be 1 to 365 days.",
            field="expires_in_days",
        )
    item = access_item(actor=actor, id=item_id) if item_id else None
    album = access_album(actor=actor, id=album_id) if album_id and item is None else None
    if item is None and album is None:
        raise Problem(code="missing_field", status=422, ko="공유할 항목이 없습니다.", en="Nothing to share.")
    return ShareLink.objects.create(
        owner=actor,
        item=item,
        album=album,
        token=secrets.token_urlsafe(24),
        password_hash=make_password(password) if password else "",
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )


def access_share(*, actor: User, id: UUID | str) -> ShareLink:
    """The actor's share link, or one 404 for "missing" and "not yours"."""
    try:
        link = ShareLink.objects.filter(owner=actor, public_id=UUID(str(id))).first()
    except ValueError:
        link = None
    if link is None:
        raise not_found("share")
    return link


def share_revoke(*, actor: User, id: UUID | str) -> ShareLink:
    link = access_share(actor=actor, id=id)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
    return link


def share_get(*, token: str) -> ShareLink:
    """A live share link, or 404 for unknown, revoked and expired ones alike."""
    now = timezone.now()
    link = (
        ShareLink.objects.select_related("item", "album", "item__blob")
        .filter(token=token, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if link is None or (link.item is not None and link.item.trashed_at is not None):
        raise not_found("share")
    return link


def share_password_ok(*, link: ShareLink, password: str) -> bool:
    return not link.password_hash or check_password(password, link.password_hash)


def share_items(*, link: ShareLink) -> list[Item]:
    if link.item is not None:
        return [link.item]
    assert link.album is not None
    return list(link.album.items.filter(trashed_at__isnull=True).order_by("-sort_at")[:500])


def share_item(*, link: ShareLink, item_id: UUID | str) -> Item:
    for item in share_items(link=link):
        if str(item.public_id) == str(item_id):
            return item
    raise not_found("item")


def share_list(*, owner: User) -> list[ShareLink]:
    return list(
        ShareLink.objects.filter(owner=owner, revoked_at__isnull=True)
        .select_related("item", "album")
        .order_by("-created_at")
    )
