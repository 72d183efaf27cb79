"""ID-token signing keys: RS256, stored envelope-encrypted, rotated without breaking verifiers.

The newest unretired key signs. A rotation retires the old key but keeps publishing its public
half in the JWKS for as long as an ID token it signed can live (ID_TOKEN_EXPIRE_SECONDS), so a
relying party holding a token from before the rotation can still verify it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.utils import timezone
from jwcrypto import jwk
from oauth2_provider.settings import oauth2_settings

from sangsaeng.core import crypto
from sangsaeng.sync.models import SigningKey

CONTEXT = "sync.SigningKey.private_pem"


def _generate() -> SigningKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = jwk.JWK.from_pem(pem)
    kid = key.thumbprint()
    public = json.loads(key.export_public())
    public.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return SigningKey.objects.create(
        kid=kid, private_pem_encrypted=crypto.encrypt(pem, context=CONTEXT), public_jwk=public
    )


def signing_key_current() -> SigningKey:
    """The key that signs now; the first call on a fresh install makes one."""
    key = SigningKey.objects.filter(retired_at__isnull=True).order_by("-created_at").first()
    if key is not None:
        return key
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().filter(retired_at__isnull=True).first()
        return key or _generate()


@transaction.atomic
def signing_key_rotate() -> SigningKey:
    """Make a new signing key and retire the others (still published until their tokens expire)."""
    SigningKey.objects.filter(retired_at__isnull=True).update(retired_at=timezone.now())
    return _generate()


def published_keys() -> list[SigningKey]:
    horizon = timezone.now() - timedelta(seconds=oauth2_settings.ID_TOKEN_EXPIRE_SECONDS)
    signing_key_current()
    return list(SigningKey.objects.exclude(retired_at__lt=horizon).order_by("-created_at"))


def jwks() -> dict[str, list[dict[str, str]]]:
    return {"keys": [key.public_jwk for key in published_keys()]}


@lru_cache(maxsize=16)
def _private_jwk(kid: str, sealed: str) -> jwk.JWK:
    return jwk.JWK.from_pem(crypto.decrypt(sealed, context=CONTEXT))


def private_jwk(key: SigningKey) -> jwk.JWK:
    """The decrypted key, cached per process by kid (decrypting on every token would cost ~1 ms)."""
    return _private_jwk(key.kid, key.private_pem_encrypted)


def public_jwk_for(kid: str) -> jwk.JWK | None:
    key = SigningKey.objects.filter(kid=kid).first()
    return jwk.JWK(**key.public_jwk) if key is not None else None
