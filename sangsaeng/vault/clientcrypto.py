"""What a Bitwarden client does before it talks to the server, in Python: key derivation and EncStrings.

The server never runs this on a user's behalf. It exists for the demo content (made exactly as an
app would make it, so the official apps can open it), for the tests (registering an account the
real `bw` CLI can log into, and decrypting what the CLI stored) and for the benchmark.

- master key = PBKDF2-SHA256(password, salt = lower(trim(email)), iterations)
- login hash = base64(PBKDF2-SHA256(master key, salt = password, 1))
- stretched key = HKDF-Expand(master key, "enc", 32) ‖ HKDF-Expand(master key, "mac", 32)
- EncString type 2 = `2.<iv>|<ct>|<mac>`: AES-256-CBC, then HMAC-SHA256 over iv ‖ ct
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

ITERATIONS = 5_000  # the lowest the clients accept: the tests' setting, fast


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def master_key(password: str, email: str, iterations: int = ITERATIONS) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), email.strip().lower().encode(), iterations)


def login_hash(password: str, email: str, iterations: int = ITERATIONS) -> str:
    return b64(hashlib.pbkdf2_hmac("sha256", master_key(password, email, iterations), password.encode(), 1))


def stretch(key: bytes) -> tuple[bytes, bytes]:
    enc = HKDFExpand(algorithm=hashes.SHA256(), length=32, info=b"enc").derive(key)
    mac = HKDFExpand(algorithm=hashes.SHA256(), length=32, info=b"mac").derive(key)
    return enc, mac


def encrypt(plaintext: bytes, enc_key: bytes, mac_key: bytes) -> str:
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    ct = encryptor.update(data) + encryptor.finalize()
    mac = hmac.new(mac_key, iv + ct, hashlib.sha256).digest()
    return f"2.{b64(iv)}|{b64(ct)}|{b64(mac)}"


def decrypt(encstring: str, enc_key: bytes, mac_key: bytes) -> bytes:
    kind, _, body = encstring.partition(".")
    if kind != "2":
        raise ValueError("only type 2 EncStrings (AES-256-CBC + HMAC-SHA256) are supported")
    iv, ct, mac = (base64.b64decode(p) for p in body.split("|"))
    if not hmac.compare_digest(mac, hmac.new(mac_key, iv + ct, hashlib.sha256).digest()):
        raise ValueError("the MAC does not match: wrong key or tampered data")
    decryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ct) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


@dataclass
class Keys:
    """One account's keys as its client holds them."""

    email: str
    password: str
    user_key: bytes  # 64 bytes: 32 enc ‖ 32 mac
    protected_user_key: str
    public_key: str
    protected_private_key: str
    hash: str

    @property
    def enc(self) -> bytes:
        return self.user_key[:32]

    @property
    def mac(self) -> bytes:
        return self.user_key[32:]

    def seal(self, text: str) -> str:
        return encrypt(text.encode(), self.enc, self.mac)

    def open(self, encstring: str) -> str:
        return decrypt(encstring, self.enc, self.mac).decode()


_RSA: list[rsa.RSAPrivateKey] = []


def make_keys(email: str, password: str, iterations: int = ITERATIONS, *, reuse_rsa: bool = True) -> Keys:
    """The registration material: a random user key wrapped by the stretched master key, and an
    RSA-2048 key pair whose private half is wrapped by the user key.

    `reuse_rsa` shares one RSA key pair per process (generating one costs ~100 ms): for tests
    only; real accounts (the demo) get their own.
    """
    if not _RSA or not reuse_rsa:
        _RSA.insert(0, rsa.generate_private_key(public_exponent=65537, key_size=2048))
    private = _RSA[0]
    user_key = os.urandom(64)
    enc, mac = stretch(master_key(password, email, iterations))
    der_private = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    der_public = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return Keys(
        email=email.strip().lower(),
        password=password,
        user_key=user_key,
        protected_user_key=encrypt(user_key, enc, mac),
        public_key=b64(der_public),
        protected_private_key=encrypt(der_private, user_key[:32], user_key[32:]),
        hash=login_hash(password, email, iterations),
    )


def register_payload(keys: Keys, *, iterations: int = ITERATIONS, token: str | None = None) -> dict[str, Any]:
    """The old `/identity/accounts/register` body."""
    body = {
        "email": keys.email,
        "name": "",
        "masterPasswordHash": keys.hash,
        "masterPasswordHint": None,
        "key": keys.protected_user_key,
        "kdf": 0,
        "kdfIterations": iterations,
        "kdfMemory": None,
        "kdfParallelism": None,
        "keys": {"publicKey": keys.public_key, "encryptedPrivateKey": keys.protected_private_key},
    }
    if token:
        body["emailVerificationToken"] = token
    return body
