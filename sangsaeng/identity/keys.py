"""Issuer and hosted-wallet keys: P-256, private halves envelope-encrypted at rest.

The first credential ever issued creates the issuer key; `issuer_key_rotate` makes a new active
key while the old one stays published, so credentials it signed keep verifying until they expire.
"""

from __future__ import annotations

import secrets
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.utils import timezone

from sangsaeng.core import crypto
from sangsaeng.identity import jose
from sangsaeng.identity.models import HolderKey, IssuerKey

ISSUER_CONTEXT = "identity.IssuerKey.private_key"
HOLDER_CONTEXT = "identity.HolderKey.private_key"


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load(token: str, context: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(crypto.decrypt(token, context=context), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def _issuer_key_create() -> IssuerKey:
    private = ec.generate_private_key(ec.SECP256R1())
    kid = jose.jwk_thumbprint(jose.public_jwk(private.public_key()))
    jwk = {**jose.public_jwk(private.public_key(), kid=kid), "use": "sig", "alg": jose.ALG}
    return IssuerKey.objects.create(
        kid=kid, private_key_encrypted=crypto.encrypt(_pem(private), context=ISSUER_CONTEXT), public_jwk=jwk
    )


def issuer_signing_key() -> tuple[str, ec.EllipticCurvePrivateKey]:
    """The active issuer key, made on first use."""
    with transaction.atomic():
        row = IssuerKey.objects.filter(active=True).order_by("-created_at").first()
        if row is None:
            row = _issuer_key_create()
    return row.kid, _load(row.private_key_encrypted, ISSUER_CONTEXT)


def issuer_key_rotate() -> IssuerKey:
    with transaction.atomic():
        IssuerKey.objects.filter(active=True).update(active=False, retired_at=timezone.now())
        return _issuer_key_create()


def issuer_public_key(kid: str) -> ec.EllipticCurvePublicKey | None:
    row = IssuerKey.objects.filter(kid=kid).first()
    return jose.jwk_public_key(row.public_jwk) if row is not None else None


def issuer_jwks() -> dict[str, Any]:
    issuer_signing_key()  # publish a key before anything was issued, so verifiers can cache it
    return {"keys": [dict(row.public_jwk) for row in IssuerKey.objects.order_by("-created_at")]}


def holder_key(*, user: Any) -> tuple[dict[str, Any], ec.EllipticCurvePrivateKey]:
    """The hosted wallet's key of `user`, made on first use."""
    row = HolderKey.objects.filter(user=user).first()
    if row is None:
        private = ec.generate_private_key(ec.SECP256R1())
        row = HolderKey.objects.create(
            user=user,
            private_key_encrypted=crypto.encrypt(_pem(private), context=HOLDER_CONTEXT),
            public_jwk=jose.public_jwk(private.public_key()),
        )
        return dict(row.public_jwk), private
    return dict(row.public_jwk), _load(row.private_key_encrypted, HOLDER_CONTEXT)


def random_index(size: int, taken: set[int]) -> int:
    if len(taken) >= size:
        raise RuntimeError("the status list is full; raise IDENTITY_STATUS_LIST_SIZE")
    while True:
        index = secrets.randbelow(size)
        if index not in taken:
            return index
