"""Per-tag NTAG 424 DNA keys, diversified from one master key per brand.

Each brand has a random 32-byte master key, stored only as a core.crypto envelope bound to the
brand's id. A tag's SDMMetaReadKey and SDMFileReadKey are HKDF-SHA256 outputs of that master key
with the tag's public code in the `info`: a key pulled out of one tag opens no other tag, and the
server never stores a tag key, so a copied database row gives nothing without the envelope key.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sangsaeng.core.crypto import decrypt, encrypt


def _context(brand_public_id: object) -> str:
    return f"authenticity.Brand.master_key:{brand_public_id}"


def master_key_seal(*, brand_public_id: object) -> str:
    return encrypt(secrets.token_bytes(32), context=_context(brand_public_id))


def master_key_open(*, sealed: str, brand_public_id: object) -> bytes:
    return decrypt(sealed, context=_context(brand_public_id))


def tag_keys(*, master_key: bytes, tag_code: str) -> tuple[bytes, bytes]:
    """(SDMMetaReadKey, SDMFileReadKey) for one tag."""

    def derive(purpose: str) -> bytes:
        info = f"sangsaeng/ntag424/{purpose}/{tag_code}".encode()
        return HKDF(algorithm=hashes.SHA256(), length=16, salt=b"sangsaeng-authenticity", info=info).derive(master_key)

    return derive("sdm-meta-read"), derive("sdm-file-read")
