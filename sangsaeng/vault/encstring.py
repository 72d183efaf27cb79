"""EncString syntax: the only shape of secret the vault accepts.

Bitwarden clients encrypt every secret field to an EncString, `<type>.<parts>`:

| type | meaning                          | parts                  |
|------|----------------------------------|------------------------|
| 0    | AES-256-CBC                      | iv, ciphertext         |
| 1    | AES-128-CBC + HMAC-SHA256        | iv, ciphertext, mac    |
| 2    | AES-256-CBC + HMAC-SHA256        | iv, ciphertext, mac    |
| 3, 4 | RSA-2048-OAEP (SHA-256, SHA-1)   | ciphertext             |
| 5, 6 | the RSA types with an HMAC       | ciphertext, mac        |
| 7    | COSE Encrypt0                    | message                |

The server cannot check that a value decrypts, only that it has this shape. Checking the shape
still matters: it refuses plaintext sent by a broken or hostile client, which would otherwise sit
in the database looking like ciphertext.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sangsaeng.core.errors import Problem

_PARTS = {0: 2, 1: 3, 2: 3, 3: 1, 4: 1, 5: 2, 6: 2, 7: 1}
_IV_TYPES = {0, 1, 2}
_MAC_TYPES = {1, 2}

# Limits from Bitwarden's server request models (EncryptedStringLength).
NAME_MAX = 1_000
DEFAULT_MAX = 10_000
NOTES_MAX = 10_000
KEY_MAX = 10_000

# Keys inside a cipher's type object whose string values are not encrypted.
PLAIN_KEYS = frozenset({"passwordRevisionDate", "lastUsedDate", "creationDate", "revisionDate"})


def _b64(value: str) -> bytes | None:
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def is_base64(value: str) -> bool:
    return _b64(value) is not None


def is_encstring(value: object) -> bool:
    if not isinstance(value, str) or "." not in value:
        return False
    head, _, body = value.partition(".")
    if not head.isdigit() or int(head) not in _PARTS:
        return False
    kind = int(head)
    parts = body.split("|")
    if len(parts) != _PARTS[kind]:
        return False
    decoded = [_b64(part) for part in parts]
    if any(part is None for part in decoded):
        return False
    if kind in _IV_TYPES and len(decoded[0] or b"") != 16:
        return False
    return not (kind in _MAC_TYPES and len(decoded[2] or b"") != 32)


def bad_encstring(field: str) -> Problem:
    return Problem(
        code="invalid_encstring",
        ko=f"{field} 값이 암호화된 문자열(EncString)이 아닙니다.",
        en=f"{field} is not a valid encrypted string.",
        field=field,
    )


def too_long(field: str, limit: int) -> Problem:
    return Problem(
        code="field_too_long",
        ko=f"{field} 값이 너무 깁니다 (최대 {limit:,}자).",
        en=f"{field} exceeds {limit:,} characters in its encrypted form.",
        field=field,
        extra={"limit": limit},
    )


def check(value: Any, *, field: str, limit: int = DEFAULT_MAX, required: bool = False) -> str | None:
    """Return `value` when it is an EncString within `limit` characters (or None when allowed)."""
    if value is None or value == "":
        if required:
            raise Problem(code="missing_field", ko=f"{field} 값이 필요합니다.", en=f"{field} is required.", field=field)
        return None
    if not isinstance(value, str) or not is_encstring(value):
        raise bad_encstring(field)
    if len(value) > limit:
        raise too_long(field, limit)
    return value


def check_tree(value: Any, *, field: str) -> None:
    """Every string inside a cipher's type object is an EncString, except known plain dates."""
    stack: list[tuple[Any, str]] = [(value, field)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if key in PLAIN_KEYS:
                    if child is not None and (not isinstance(child, str) or len(child) > 64):
                        raise Problem(
                            code="invalid_field",
                            ko=f"{path}.{key} 값이 올바르지 않습니다.",
                            en=f"{path}.{key} is not valid.",
                            field=f"{path}.{key}",
                        )
                    continue
                stack.append((child, f"{path}.{key}"))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(item))
        elif isinstance(item, str):
            check(item, field=path)
