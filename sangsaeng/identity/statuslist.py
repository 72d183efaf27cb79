"""IETF Token Status List: one bit per credential, zlib-compressed, served as a signed JWT.

The credential carries `status.status_list = {"idx": N, "uri": URL}`. Bit N of the list at URL is 0
(valid) or 1 (revoked). Indexes are drawn at random, so neighbouring indexes say nothing about
issuance order, and one list serves every credential, so fetching it reveals nothing about which
credential a verifier checks ("herd privacy").
"""

from __future__ import annotations

import zlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from sangsaeng.identity import jose
from sangsaeng.identity.jose import JoseError

TYP = "statuslist+jwt"
VALID = 0
INVALID = 1


def bits_encode(revoked: set[int], *, size: int) -> str:
    """The `lst` value: bit i lives in byte i // 8 at position i % 8, least significant first."""
    data = bytearray(size // 8)
    for index in revoked:
        data[index // 8] |= 1 << (index % 8)
    return jose.b64e(zlib.compress(bytes(data), 9))


def bit_get(lst: str, index: int) -> int:
    data = zlib.decompress(jose.b64d(lst))
    if not 0 <= index < len(data) * 8:
        raise IndexError(index)
    return (data[index // 8] >> (index % 8)) & 1


def token_make(
    *, uri: str, revoked: set[int], size: int, key: ec.EllipticCurvePrivateKey, kid: str, now: int, ttl: int
) -> str:
    payload: dict[str, Any] = {
        "sub": uri,
        "iat": now,
        "exp": now + 2 * ttl,
        "ttl": ttl,
        "status_list": {"bits": 1, "lst": bits_encode(revoked, size=size)},
    }
    return jose.sign(header={"typ": TYP, "kid": kid}, payload=payload, key=key)


def token_status(token: str, *, uri: str, index: int, key: ec.EllipticCurvePublicKey, now: int) -> int:
    """The status of `index` in a status list token, after checking its signature, subject and age."""
    header, payload = jose.verify(token, key=key)
    if header.get("typ") != TYP or payload.get("sub") != uri:
        raise JoseError("not the status list for this URI")
    if isinstance(payload.get("exp"), int) and now > payload["exp"]:
        raise JoseError("the status list has expired")
    listing = payload.get("status_list") or {}
    if listing.get("bits") != 1:
        raise JoseError("only 1-bit status lists are read")
    return bit_get(listing["lst"], index)
