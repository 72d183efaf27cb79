"""Compact JWS with ES256 (RFC 7515/7518) and EC P-256 JWKs (RFC 7517), on `cryptography`.

Only ES256 is accepted: the algorithm is fixed by us, never taken from a token's header, so an
attacker can't downgrade a token to `none` or to an HMAC keyed with the public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from sangsaeng.core.json_bounded import loads_bounded

ALG = "ES256"


class JoseError(Exception):
    """A token that can't be parsed or whose signature doesn't hold."""


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64d(text: str) -> bytes:
    if not isinstance(text, str) or any(c not in _B64_ALPHABET for c in text):
        raise JoseError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as exc:
        raise JoseError("not base64url") from exc


_B64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def json_b64(value: dict[str, Any]) -> str:
    return b64e(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def public_jwk(key: ec.EllipticCurvePublicKey, *, kid: str | None = None) -> dict[str, str]:
    numbers = key.public_numbers()
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": b64e(numbers.x.to_bytes(32, "big")),
        "y": b64e(numbers.y.to_bytes(32, "big")),
    }
    if kid:
        jwk["kid"] = kid
    return jwk


def jwk_public_key(jwk: dict[str, Any]) -> ec.EllipticCurvePublicKey:
    """The P-256 public key of a JWK; anything else (RSA, other curves, private parts) is refused."""
    if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise JoseError("only EC P-256 keys are accepted")
    try:
        x = int.from_bytes(b64d(jwk["x"]), "big")
        y = int.from_bytes(b64d(jwk["y"]), "big")
        return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    except (KeyError, TypeError, ValueError) as exc:
        raise JoseError("the JWK is not a valid P-256 point") from exc


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint: SHA-256 over the required members in lexical order."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True)
    return b64e(hashlib.sha256(canonical.encode()).digest())


def sign(*, header: dict[str, Any], payload: dict[str, Any], key: ec.EllipticCurvePrivateKey) -> str:
    """A compact ES256 JWS; the signature is raw r||s (64 bytes), as JWS requires, not DER."""
    signing_input = f"{json_b64({**header, 'alg': ALG})}.{json_b64(payload)}"
    der = key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return f"{signing_input}.{b64e(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def parse(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """Header, payload, signing input and signature of a compact JWS, without verifying it."""
    if not isinstance(token, str):
        raise JoseError("a JWS must be a string")
    parts = token.split(".")
    if len(parts) != 3:
        raise JoseError("a compact JWS has three parts")
    try:
        header = loads_bounded(b64d(parts[0]))
        payload = loads_bounded(b64d(parts[1]))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: nested thousands deep
        raise JoseError("the JWS header or payload is not JSON") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise JoseError("the JWS header and payload must be JSON objects")
    if header.get("alg") != ALG:
        raise JoseError(f"only {ALG} is accepted")
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), b64d(parts[2])


def verify_signature(*, signing_input: bytes, signature: bytes, key: ec.EllipticCurvePublicKey) -> None:
    if len(signature) != 64:
        raise JoseError("an ES256 signature is 64 bytes")
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise JoseError("the signature does not verify") from exc


def verify(token: str, *, key: ec.EllipticCurvePublicKey) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, signing_input, signature = parse(token)
    verify_signature(signing_input=signing_input, signature=signature, key=key)
    return header, payload
