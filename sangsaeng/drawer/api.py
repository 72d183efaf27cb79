"""/api/v1/drawer: the bulk checksum check a phone runs before uploading (as Immich's
bulk-upload-check), and the items of the signed-in user's Drawer."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem
from sangsaeng.core.schemas import StrictInput
from sangsaeng.drawer import selectors, services
from sangsaeng.drawer.models import Item

router = Router(tags=["drawer"])


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


class CheckAsset(StrictInput):
    id: str = Field(..., max_length=200, description="The client's own id for the file")
    checksum: str = Field(..., max_length=100, description="SHA-256, hex or base64")


class BulkCheckIn(StrictInput):
    assets: list[CheckAsset] = Field(..., max_length=1000)


class BulkCheckResult(Schema):
    id: str
    action: Literal["accept", "reject"]
    reason: Literal["duplicate"] | None = None
    asset_id: UUID | None = None
    is_trashed: bool = False


class BulkCheckOut(Schema):
    results: list[BulkCheckResult]


def _hex(checksum: str) -> str:
    text = checksum.strip()
    if len(text) == 64 and all(c in "0123456789abcdefABCDEF" for c in text):
        return text.lower()
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:  # binascii.Error, or non-ASCII text
        raw = b""
    if len(raw) != 32:
        raise Problem(
            code="invalid_field",
            status=422,
            ko="체크섬은 SHA-256이어야 합니다.",
            en="The checksum must be a SHA-256.",
            field="checksum",
        )
    return raw.hex()


@router.post("/drawer/bulk-upload-check", response=BulkCheckOut, summary="Which files the Drawer already has")
def bulk_upload_check(request: HttpRequest, payload: BulkCheckIn) -> BulkCheckOut:
    wanted = [(asset.id, _hex(asset.checksum)) for asset in payload.assets]
    known = selectors.checksums_known(owner=_user(request), checksums=[sha for _, sha in wanted])
    results = []
    for client_id, sha in wanted:
        hit = known.get(sha)
        if hit is None:
            results.append(BulkCheckResult(id=client_id, action="accept"))
        else:
            results.append(
                BulkCheckResult(
                    id=client_id, action="reject", reason="duplicate", asset_id=hit["id"], is_trashed=hit["trashed"]
                )
            )
    return BulkCheckOut(results=results)


class ItemOut(Schema):
    id: UUID
    name: str
    folder: str
    kind: str
    content_type: str
    size: int
    sha256: str
    status: str
    failure_reason: str
    taken_at: datetime | None
    sort_at: datetime
    camera: str
    latitude: float | None
    longitude: float | None
    place: str
    width: int | None
    height: int | None
    duration: float | None
    favourite: bool
    trashed_at: datetime | None


def _item(item: Item) -> ItemOut:
    return ItemOut(
        id=item.public_id,
        name=item.name,
        folder=item.folder,
        kind=item.kind,
        content_type=item.content_type,
        size=item.size,
        sha256=item.blob.sha256,
        status=item.status,
        failure_reason=item.failure_reason,
        taken_at=item.taken_at,
        sort_at=item.sort_at,
        camera=item.camera,
        latitude=item.latitude,
        longitude=item.longitude,
        place=item.place,
        width=item.width,
        height=item.height,
        duration=item.duration,
        favourite=item.favourite,
        trashed_at=item.trashed_at,
    )


class UsageOut(Schema):
    used: int
    quota: int


@router.get("/drawer/usage", response=UsageOut, summary="Bytes used and the quota")
def usage(request: HttpRequest) -> UsageOut:
    user = _user(request)
    return UsageOut(used=services.drawer_usage(owner=user), quota=services.quota_limit(owner=user))


class ItemPage(Schema):
    items: list[ItemOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next (older) page")


def _cursor(text: str) -> tuple[datetime, int] | None:
    when, _, pk = text.partition("~")
    try:
        moment = datetime.fromisoformat(when)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), int(pk)
    except ValueError:
        raise Problem(
            code="invalid_field",
            status=422,
            ko="cursor 값이 올바르지 않습니다.",
            en="The cursor is not valid.",
            field="cursor",
        ) from None


@router.get("/drawer/items", response=ItemPage, summary="The timeline, newest first")
def item_list(
    request: HttpRequest, cursor: str = "", kind: str = "", place: str = "", limit: int = Query(100, ge=1, le=500)
) -> ItemPage:
    items, after = selectors.timeline_page(
        owner=_user(request),
        filters=selectors.TimelineFilters(kind=kind, place=place[:60]),
        before=_cursor(cursor) if cursor else None,
        limit=limit,
    )
    return ItemPage(
        items=[_item(item) for item in items],
        next_cursor=f"{after[0].isoformat()}~{after[1]}" if after else None,
    )


@router.get("/drawer/items/{item_id}", response=ItemOut, summary="One item")
def item_get(request: HttpRequest, item_id: str) -> ItemOut:
    return _item(services.access_item(actor=_user(request), id=item_id, trashed=None))


@router.delete("/drawer/items/{item_id}", response=ItemOut, summary="Move an item to the trash")
def item_trash(request: HttpRequest, item_id: str) -> ItemOut:
    return _item(services.item_trash(actor=_user(request), id=item_id))


@router.post("/drawer/items/{item_id}/restore", response=ItemOut, summary="Restore an item from the trash")
def item_restore(request: HttpRequest, item_id: str) -> ItemOut:
    return _item(services.item_restore(actor=_user(request), id=item_id))
