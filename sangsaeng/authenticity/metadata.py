"""Passport metadata as canonical JSON, whose SHA-256 the chain keeps.

The canonical form is RFC 8785 (JCS) restricted to what a passport holds: objects, arrays,
strings, integers and booleans, never floats. For those values JCS is exactly `json.dumps` with
sorted keys, no whitespace and UTF-8 without escapes, because every key here is ASCII (JCS sorts
by UTF-16 code units, which for ASCII is byte order). Anyone can fetch `/authenticity/p/<id>.json`,
hash the bytes and compare with `metadata_hash(token_id)` on the contract.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

SCHEMA = "https://sangsaeng.kr/schemas/passport/1"


def _check(value: Any) -> None:
    if isinstance(value, float):
        raise ValueError("passport metadata holds no floats")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise ValueError("metadata keys are ASCII strings")
            _check(item)
    elif isinstance(value, list):
        for item in value:
            _check(item)


def canonical_bytes(document: dict[str, Any]) -> bytes:
    _check(document)
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def metadata_sha256(document: dict[str, Any]) -> bytes:
    return hashlib.sha256(canonical_bytes(document)).digest()


def metadata_document(*, brand: Any, token_id: int, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "token_id": token_id,
        "brand": {"name": brand.name, "slug": brand.slug},
        "product": {"name": row["product_name"], "model": row["model"]},
        "serial": row["serial"],
        "manufactured": {"date": row["manufactured_on"], "place": row["manufactured_at"]},
        "materials": list(row["materials"]),
        "images": list(row["images"]),
        "warranty": {"months": int(row["warranty_months"]), "terms": row["warranty_terms"]},
    }
