"""Envelope encryption for secrets at rest (TOTP seeds, custodial keys, ID documents, webhook secrets).

Each value gets its own random 256-bit data key. The data key encrypts the value with AES-256-GCM;
a key-encryption key (KEK) from the environment wraps the data key, also with AES-GCM. Both steps
bind `context` (for example "core.WebhookEndpoint.secret") as associated data, so a ciphertext
copied into another column fails to decrypt instead of leaking. The KEK id travels with the
ciphertext, so keys can be rotated: the first key encrypts, every listed key decrypts.

The KEK source is pluggable (`SANGSAENG_KMS`), so a cloud KMS can wrap data keys instead.
"""

from __future__ import annotations

import base64
import os
from functools import cache
from typing import Protocol

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.module_loading import import_string

VERSION = "v1"


class DecryptionError(Exception):
    pass


class KeyProvider(Protocol):
    def current_kid(self) -> str: ...

    def wrap(self, data_key: bytes, *, aad: bytes) -> tuple[str, bytes]: ...

    def unwrap(self, kid: str, wrapped: bytes, *, aad: bytes) -> bytes: ...


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class LocalKeyProvider:
    """KEKs from SANGSAENG_ENCRYPTION_KEYS: "kid:secret,kid2:secret2" or one bare secret.

    Each secret is stretched with HKDF-SHA256 to a 256-bit AES key, so operators can paste any
    long random string.
    """

    def __init__(self, spec: str) -> None:
        self.keys: dict[str, bytes] = {}
        self.order: list[str] = []
        for i, item in enumerate(part.strip() for part in spec.split(",") if part.strip()):
            kid, sep, secret = item.partition(":")
            if not sep:
                kid, secret = f"k{i + 1}", item
            key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sangsaeng-kek").derive(secret.encode())
            self.keys[kid] = key
            self.order.append(kid)
        if not self.order:
            raise ValueError("SANGSAENG_ENCRYPTION_KEYS holds no key")

    def current_kid(self) -> str:
        return self.order[0]

    def wrap(self, data_key: bytes, *, aad: bytes) -> tuple[str, bytes]:
        kid = self.current_kid()
        nonce = os.urandom(12)
        return kid, nonce + AESGCM(self.keys[kid]).encrypt(nonce, data_key, aad)

    def unwrap(self, kid: str, wrapped: bytes, *, aad: bytes) -> bytes:
        key = self.keys.get(kid)
        if key is None:
            raise DecryptionError(f"unknown key id {kid!r}")
        return AESGCM(key).decrypt(wrapped[:12], wrapped[12:], aad)


@cache
def key_provider() -> KeyProvider:
    path = getattr(settings, "SANGSAENG_KMS", "")
    if path:
        provider: KeyProvider = import_string(path)()
        return provider
    return LocalKeyProvider(settings.ENCRYPTION_KEYS)


def encrypt(plaintext: bytes, *, context: str) -> str:
    aad = context.encode()
    data_key = AESGCM.generate_key(bit_length=256)
    kid, wrapped = key_provider().wrap(data_key, aad=aad)
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad)
    return ".".join([VERSION, kid, _b64e(wrapped), _b64e(sealed)])


def decrypt(token: str, *, context: str) -> bytes:
    try:
        version, kid, wrapped_text, sealed_text = token.split(".")
    except ValueError as exc:
        raise DecryptionError("not an envelope") from exc
    if version != VERSION:
        raise DecryptionError(f"unknown envelope version {version!r}")
    aad = context.encode()
    try:
        data_key = key_provider().unwrap(kid, _b64d(wrapped_text), aad=aad)
        sealed = _b64d(sealed_text)
        return AESGCM(data_key).decrypt(sealed[:12], sealed[12:], aad)
    except DecryptionError:
        raise
    except Exception as exc:  # InvalidTag, bad base64: tampered or wrong context
        raise DecryptionError("the envelope does not open with this key and context") from exc


def encrypt_text(text: str, *, context: str) -> str:
    return encrypt(text.encode(), context=context)


def decrypt_text(token: str, *, context: str) -> str:
    return decrypt(token, context=context).decode()
