"""Creators publish: artworks (original + preview) and drops (fixed-price editions, English and Dutch auctions)."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from sangsaeng.drops import media
from sangsaeng.drops.access import access_artwork, access_creator, access_drop_own
from sangsaeng.drops.models import AllowlistEntry, Artwork, Drop
from sangsaeng.drops.problems import invalid


def artwork_create(*, actor: Any, title: str, upload: UploadedFile, description: str = "") -> Artwork:
    """Store an approved creator's work and make its public preview (see media.py for how)."""
    creator = access_creator(actor=actor)
    title = title.strip()
    if not title:
        raise invalid("title", "제목을 입력하세요.", "Enter a title.")
    if (upload.size or 0) > media.MAX_BYTES:
        raise invalid("file", "파일이 너무 큽니다 (최대 200MB).", "The file is too large (200 MB at most).")
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    kind = media.kind_of(content_type)
    sha, size = media.digest(upload.chunks())
    if size == 0:
        raise invalid("file", "빈 파일입니다.", "The file is empty.")
    if kind == "image":
        upload.seek(0)
        preview = media.image_preview(upload.read())
    else:
        with tempfile.TemporaryDirectory(prefix="ssg-drops-up-") as tmp:
            path = Path(tmp) / "original"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            preview = media.media_preview(path, kind=kind, title=title)
    artwork = Artwork(
        creator=creator,
        title=title[:100],
        description=description[:4000],
        kind=kind,
        original_name=(upload.name or "original")[-200:],
        content_type=content_type,
        size=size,
        sha256=sha,
        preview_type=preview.content_type,
        preview_kind=preview.kind,
        width=preview.width,
        height=preview.height,
    )
    upload.seek(0)
    suffix = Path(upload.name or "").suffix[:10]
    artwork.original.save(f"{sha[:32]}{suffix}", upload, save=False)
    artwork.preview.save(f"{sha[:32]}.{preview.extension}", ContentFile(preview.data), save=False)
    artwork.save()
    return artwork


def _int(data: dict[str, Any], name: str, default: int = 0) -> int:
    value = data.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise invalid(name, "0 이상의 정수여야 합니다.", "Must be a whole number of 0 or more.")
    return value


def _check(ok: bool, field: str, ko: str, en: str) -> None:
    if not ok:
        raise invalid(field, ko, en)


def drop_create(*, actor: Any, artwork_id: Any, data: dict[str, Any]) -> Drop:
    """Schedule a drop of one of the actor's artworks; the chain drop (supply cap, royalty) follows.

    The contract drop is created by the periodic job (`drops_sweep`), so a drop can be scheduled while
    the chain node is down; sales need no chain at all, editions are minted later in batches.
    """
    artwork = access_artwork(actor=actor, id=artwork_id)
    access_creator(actor=actor)
    fmt = data.get("format", Drop.Format.FIXED)
    _check(
        fmt in Drop.Format.values,
        "format",
        "형식은 fixed, english, dutch 중 하나입니다.",
        "format is fixed, english or dutch.",
    )
    opens_at = data.get("opens_at")
    _check(isinstance(opens_at, datetime), "opens_at", "시작 시각이 필요합니다.", "opens_at is required.")
    assert isinstance(opens_at, datetime)
    closes_at = data.get("closes_at")
    _check(
        closes_at is None or (isinstance(closes_at, datetime) and closes_at > opens_at),
        "closes_at",
        "종료 시각은 시작 이후여야 합니다.",
        "closes_at must be after opens_at.",
    )
    presale = data.get("presale_opens_at")
    _check(
        presale is None or (isinstance(presale, datetime) and presale < opens_at),
        "presale_opens_at",
        "사전 판매는 공개 판매보다 먼저 시작해야 합니다.",
        "The presale must start before the drop opens.",
    )
    drop = Drop(
        artwork=artwork,
        creator=artwork.creator,
        title=str(data.get("title") or artwork.title)[:100],
        description=str(data.get("description") or "")[:4000],
        format=fmt,
        opens_at=opens_at,
        closes_at=closes_at,
        presale_opens_at=presale,
        royalty_bps=_int(data, "royalty_bps", 1000),
    )
    _check(drop.royalty_bps <= 5000, "royalty_bps", "로열티는 50%를 넘을 수 없습니다.", "Royalty can't exceed 50%.")
    if fmt == Drop.Format.FIXED:
        drop.price = _int(data, "price")
        drop.edition_size = _int(data, "edition_size")
        drop.per_user_limit = _int(data, "per_user_limit", 1)
        _check(drop.price >= 100, "price", "가격은 100원 이상입니다.", "The price is at least 100 KRW.")
    elif fmt == Drop.Format.ENGLISH:
        drop.edition_size = 1
        drop.per_user_limit = 1
        drop.reserve_price = _int(data, "reserve_price")
        drop.min_increment = _int(data, "min_increment", 1000)
        drop.anti_snipe_minutes = _int(data, "anti_snipe_minutes", 5)
        drop.extension_minutes = _int(data, "extension_minutes", 5)
        _check(closes_at is not None, "closes_at", "경매 종료 시각이 필요합니다.", "An auction needs closes_at.")
        _check(
            drop.min_increment >= 1, "min_increment", "최소 입찰 단위는 1원 이상입니다.", "min_increment is at least 1."
        )
        _check(
            drop.reserve_price >= 100, "reserve_price", "시작가는 100원 이상입니다.", "The reserve is at least 100 KRW."
        )
    else:
        drop.edition_size = _int(data, "edition_size")
        drop.per_user_limit = _int(data, "per_user_limit", 1)
        drop.start_price = _int(data, "start_price")
        drop.floor_price = _int(data, "floor_price")
        drop.decay_amount = _int(data, "decay_amount")
        drop.decay_minutes = _int(data, "decay_minutes")
        _check(
            drop.start_price > drop.floor_price >= 100,
            "start_price",
            "시작가는 최저가보다 높고 최저가는 100원 이상입니다.",
            "start_price must exceed floor_price (at least 100).",
        )
        _check(
            drop.decay_amount >= 1 and drop.decay_minutes >= 1,
            "decay_amount",
            "가격 하락 폭과 간격이 필요합니다.",
            "decay_amount and decay_minutes are required.",
        )
    _check(
        1 <= drop.edition_size <= 100_000,
        "edition_size",
        "에디션 수는 1~100,000개입니다.",
        "edition_size is 1 to 100,000.",
    )
    _check(
        1 <= drop.per_user_limit <= drop.edition_size,
        "per_user_limit",
        "1인 한도는 1 이상, 에디션 수 이하입니다.",
        "per_user_limit is 1 to edition_size.",
    )
    emails = [str(e).strip().lower() for e in data.get("allowlist_emails") or [] if str(e).strip()]
    with transaction.atomic():
        drop.save()
        if emails:
            users = get_user_model().objects.filter(email__in=emails)
            AllowlistEntry.objects.bulk_create(
                [AllowlistEntry(drop=drop, user=u) for u in users], ignore_conflicts=True
            )
    return drop


def drop_cancel(*, actor: Any, drop_id: Any) -> Drop:
    """A creator withdraws a drop that has not opened and sold nothing."""
    drop = access_drop_own(actor=actor, id=drop_id)
    if drop.opens_at <= timezone.now() or drop.sold:
        raise invalid("drop", "이미 시작된 드롭은 취소할 수 없습니다.", "A drop that has opened can't be cancelled.")
    drop.cancelled_at = timezone.now()
    drop.save(update_fields=["cancelled_at", "updated_at"])
    return drop
