"""Access tokens (HS256 JWTs) and refresh tokens for Bitwarden clients.

Clients decode the access token without verifying it, to read `exp`, `sub`, `email`, `name`,
`email_verified`, `iss` and `amr`, so it must be a JWT with those claims. The server verifies the
signature with a key derived from SECRET_KEY for this purpose alone, then checks the claims
against the database: the device must still exist and `sstamp` must equal the account's current
security stamp, so revoking a device or rotating the stamp ends every token at once.

Refresh tokens are 256-bit random strings; only their SHA-256 is stored, on the device row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings

ACCESS_TOKEN_SECONDS = 3600
ISSUER_SUFFIX = "|login"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def _signing_key() -> bytes:
    return hashlib.sha256(b"sangsaeng.vault.access-token\0" + settings.SECRET_KEY.encode()).digest()


def jwt_encode(claims: dict[str, Any]) -> str:
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(_signing_key(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def jwt_decode(token: str) -> dict[str, Any] | None:
    """The claims of a token this server signed and that has not expired; None otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        expected = hmac.new(_signing_key(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64url(parts[2])):
            return None
        claims = json.loads(_unb64url(parts[1]))
    except (ValueError, TypeError):
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int) or claims["exp"] < time.time():
        return None
    return claims


@dataclass(frozen=True)
class AccessClaims:
    account_public_id: str
    device_public_id: str
    security_stamp: str


def access_token_create(
    *,
    issuer: str,
    account_public_id: str,
    email: str,
    name: str,
    device_public_id: str,
    device_type: int,
    security_stamp: str,
) -> tuple[str, int]:
    now = int(time.time())
    claims = {
        "nbf": now,
        "exp": now + ACCESS_TOKEN_SECONDS,
        "iss": issuer + ISSUER_SUFFIX,
        "sub": account_public_id,
        "premium": True,
        "name": name,
        "email": email,
        "email_verified": True,
        "sstamp": security_stamp,
        "device": device_public_id,
        "devicetype": str(device_type),
        "scope": ["api", "offline_access"],
        "amr": ["Application"],
    }
    return jwt_encode(claims), ACCESS_TOKEN_SECONDS


def access_token_read(token: str) -> AccessClaims | None:
    claims = jwt_decode(token)
    if claims is None:
        return None
    try:
        return AccessClaims(
            account_public_id=str(claims["sub"]),
            device_public_id=str(claims["device"]),
            security_stamp=str(claims["sstamp"]),
        )
    except KeyError:
        return None


def refresh_token_new() -> tuple[str, str]:
    """A fresh refresh token and the hash to store."""
    token = secrets.token_urlsafe(48)
    return token, refresh_token_hash(token)


def refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
