"""Issuing passports, one at a time or from a CSV batch that issues all of its rows or none.

A batch is validated completely before anything is written; then the passports, their QR tags,
their provenance and the chain outbox rows are written in one database transaction. A crash or a
bad row leaves nothing half-issued, and the outbox sends the mints only after that commit.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sangsaeng.authenticity.brands import access_verified_brand
from sangsaeng.authenticity.metadata import metadata_document, metadata_sha256
from sangsaeng.authenticity.models import MAX_TOKEN_ID, Brand, Passport, ProvenanceEvent, Tag
from sangsaeng.chain import services as chain
from sangsaeng.core.errors import Problem

COLUMNS = (
    "serial",
    "product_name",
    "model",
    "manufactured_on",
    "manufactured_at",
    "materials",
    "images",
    "warranty_months",
    "warranty_terms",
)
REQUIRED = ("serial", "product_name", "model", "manufactured_on", "manufactured_at")
SECRET_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # Crockford-like: no 0/O, 1/I


def claim_secret_new() -> str:
    """A printed passphrase: 16 symbols of 32, 80 bits, in four groups (K7QM-3XPD-9TRA-WZ2H)."""
    raw = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def claim_secret_hash(secret: str) -> str:
    """HMAC-SHA256 under the server key. The secret carries 80 random bits, so a slow password
    hash buys nothing against guessing, and a fast keyed hash keeps batch issuance quick."""
    normal = "".join(ch for ch in (secret or "").upper() if ch.isalnum())
    key = hashlib.sha256(f"authenticity-claim:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def tag_code_new() -> str:
    return secrets.token_urlsafe(12)


class RowError(Exception):
    def __init__(self, field: str, ko: str, en: str) -> None:
        super().__init__(en)
        self.field, self.ko, self.en = field, ko, en


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def row_clean(raw: dict[str, Any]) -> dict[str, Any]:
    """One passport's fields, checked; raises RowError naming the field at fault."""
    row = {key: str(raw.get(key) or "").strip() for key in COLUMNS}
    for key, value in row.items():
        if "\x00" in value:  # PostgreSQL text cannot hold NUL
            raise RowError(key, f"{key} 값에 NUL 문자가 있습니다.", f"{key} contains a NUL character.")
    for key in REQUIRED:
        if not row[key]:
            raise RowError(key, f"{key} 값이 비어 있습니다.", f"{key} is empty.")
    if len(row["serial"]) > 80 or not row["serial"].isprintable():
        raise RowError(
            "serial", "일련번호는 80자 이하여야 합니다.", "The serial must be at most 80 printable characters."
        )
    for key, limit in (("product_name", 120), ("model", 60), ("manufactured_at", 120), ("warranty_terms", 1000)):
        if len(row[key]) > limit:
            raise RowError(key, f"{key} 값이 너무 깁니다 (최대 {limit}자).", f"{key} is too long (at most {limit}).")
    try:
        made = date.fromisoformat(row["manufactured_on"])
    except ValueError as exc:
        raise RowError(
            "manufactured_on", "제조일은 YYYY-MM-DD 형식이어야 합니다.", "The manufacture date must be YYYY-MM-DD."
        ) from exc
    if made > timezone.localdate():
        raise RowError("manufactured_on", "제조일이 미래입니다.", "The manufacture date is in the future.")
    months = row["warranty_months"] or "0"
    if not months.isdigit() or int(months) > 600:
        raise RowError(
            "warranty_months",
            "보증 기간(개월)은 0~600 사이의 정수입니다.",
            "Warranty months must be a whole number from 0 to 600.",
        )
    images = _split(row["images"])
    if any(not url.startswith(("https://", "http://")) or len(url) > 500 for url in images):
        raise RowError("images", "이미지는 http(s) 주소여야 합니다.", "Images must be http(s) URLs.")
    return {
        **row,
        "manufactured_on": made.isoformat(),
        "materials": _split(row["materials"])[:20],
        "images": images[:10],
        "warranty_months": int(months),
    }


def _token_ids(count: int) -> list[int]:
    chosen: set[int] = set()
    while len(chosen) < count:
        fresh = {secrets.randbelow(MAX_TOKEN_ID) + 1 for _ in range(count - len(chosen))}
        taken = set(Passport.objects.filter(token_id__in=fresh).values_list("token_id", flat=True))
        chosen |= fresh - taken
    return list(chosen)


def _issue_rows(
    *, brand: Brand, rows: list[dict[str, Any]], actor: Any, progress: Callable[[int], None] | None = None
) -> list[tuple[Passport, str]]:
    """Write passports, QR tags, provenance and mints in the caller's transaction."""
    now = timezone.now()
    issued: list[tuple[Passport, str]] = []
    for token_id, row in zip(_token_ids(len(rows)), rows, strict=True):
        document = metadata_document(brand=brand, token_id=token_id, row=row)
        digest = metadata_sha256(document)
        secret = claim_secret_new()
        passport = Passport(
            brand=brand,
            token_id=token_id,
            serial=row["serial"],
            product_name=row["product_name"],
            model_code=row["model"],
            metadata=document,
            metadata_sha256=digest.hex(),
            warranty_months=row["warranty_months"],
            issued_at=now,
            claim_secret_hash=claim_secret_hash(secret),
        )
        passport.issue_key = f"authenticity-issue:{passport.public_id}"
        passport.last_move_key = passport.issue_key
        issued.append((passport, secret))
    Passport.objects.bulk_create([p for p, _ in issued])
    saved = {p.token_id: p for p in Passport.objects.filter(token_id__in=[p.token_id for p, _ in issued])}
    issued = [(saved[p.token_id], s) for p, s in issued]
    Tag.objects.bulk_create([Tag(brand=brand, passport=p, kind=Tag.Kind.QR, code=tag_code_new()) for p, _ in issued])
    ProvenanceEvent.objects.bulk_create(
        [ProvenanceEvent(passport=p, kind=ProvenanceEvent.Kind.ISSUED, chain_key=p.issue_key) for p, _ in issued]
    )
    for done, (passport, _) in enumerate(issued, start=1):
        chain.passport_issue_to_custody(
            idempotency_key=passport.issue_key,
            brand=str(brand.public_id),
            token_id=passport.token_id,
            metadata_hash=bytes.fromhex(passport.metadata_sha256),
            requested_by=actor,
        )
        if progress is not None:
            progress(done)
    return issued


def _duplicate_serial(serial: str) -> RowError:
    return RowError("serial", f"이미 발행된 일련번호입니다: {serial}", f"This serial is already issued: {serial}")


def passport_issue(*, actor: Any, slug: str, data: dict[str, Any]) -> tuple[Passport, str]:
    """Issue one passport; returns it with its claim passphrase, shown this once only."""
    brand = access_verified_brand(actor=actor, slug=slug)
    try:
        row = row_clean(data)
        if Passport.objects.filter(brand=brand, serial=row["serial"]).exists():
            raise _duplicate_serial(row["serial"])
    except RowError as exc:
        raise Problem(code="invalid_passport", status=422, ko=exc.ko, en=exc.en, field=exc.field) from exc
    with transaction.atomic():
        return _issue_rows(brand=brand, rows=[row], actor=actor)[0]


def csv_rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The CSV's data rows with their line numbers (the header is line 1)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Problem(
            code="csv_not_utf8",
            status=422,
            ko="CSV는 UTF-8로 저장해 주세요.",
            en="Save the CSV as UTF-8.",
            field="file",
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Problem(
            code="csv_columns_missing",
            status=422,
            ko=f"CSV 머리글에 필요한 열이 없습니다: {', '.join(missing)}",
            en=f"The CSV header lacks required columns: {', '.join(missing)}",
            field="file",
        )
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        for raw in reader:
            rows.append((reader.line_num, raw))
    except csv.Error as exc:
        raise Problem(
            code="csv_malformed",
            status=422,
            ko=f"CSV를 읽을 수 없습니다: {exc}",
            en=f"The CSV cannot be read: {exc}",
            field="file",
        ) from exc
    return rows


def passports_issue_csv(
    *, actor: Any, slug: str, content: bytes, progress: Callable[[int, int], None] | None = None
) -> list[tuple[Passport, str]]:
    """Issue every row of a CSV, or none: each bad row is reported with its line number."""
    brand = access_verified_brand(actor=actor, slug=slug)
    raw_rows = csv_rows(content)
    if not raw_rows:
        raise Problem(
            code="csv_empty", status=422, ko="CSV에 발행할 행이 없습니다.", en="The CSV has no rows.", field="file"
        )
    if len(raw_rows) > settings.AUTHENTICITY_BATCH_MAX_ROWS:
        limit = settings.AUTHENTICITY_BATCH_MAX_ROWS
        raise Problem(
            code="csv_too_many_rows",
            status=422,
            ko=f"한 번에 최대 {limit}행까지 발행합니다.",
            en=f"A batch holds at most {limit} rows.",
            field="file",
        )
    errors: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    existing = set(Passport.objects.filter(brand=brand).values_list("serial", flat=True))
    for line, raw in raw_rows:
        try:
            row = row_clean(raw)
            if row["serial"] in existing:
                raise _duplicate_serial(row["serial"])
            if row["serial"] in seen:
                raise RowError(
                    "serial",
                    f"{seen[row['serial']]}행과 일련번호가 겹칩니다.",
                    f"The serial repeats line {seen[row['serial']]}.",
                )
            seen[row["serial"]] = line
            rows.append(row)
        except RowError as exc:
            errors.append({"line": line, "field": exc.field, "message_ko": exc.ko, "message_en": exc.en})
    if errors:
        raise Problem(
            code="csv_invalid_rows",
            status=422,
            ko=f"{len(errors)}개 행에 문제가 있어 아무것도 발행하지 않았습니다.",
            en=f"{len(errors)} rows are invalid; nothing was issued.",
            field="file",
            extra={"errors": errors},
        )
    total = len(rows)
    with transaction.atomic():
        return _issue_rows(
            brand=brand, rows=rows, actor=actor, progress=(lambda done: progress(done, total)) if progress else None
        )
