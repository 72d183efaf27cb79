"""The hasher for OAuth client secrets, and only for them.

django-oauth-toolkit stores client secrets as password hashes and checks one on every token
request. Argon2 (our password hasher) spends ~50 ms there on purpose, to slow down guessing of
human passwords. A client secret is 128 random characters (~760 bits) from
`generate_client_secret`: nobody can guess it however fast the hash, so a salted SHA-256 keeps the
"stolen database reveals no secret" property at a thousandth of the cost.

It refuses anything shorter than MIN_LENGTH, so a human password can never be stored or verified
with it even though it is listed in PASSWORD_HASHERS (which `check_password` needs).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _

MIN_LENGTH = 64


class ClientSecretHasher(BasePasswordHasher):
    algorithm = "sync_client_secret_sha256"

    def encode(self, password: str, salt: str) -> str:
        if len(password) < MIN_LENGTH:
            raise ValueError("client secrets are machine-generated and at least 64 characters")
        if not salt or "$" in salt:
            raise ValueError("the salt must be non-empty and contain no $")
        digest = hashlib.sha256(f"{salt}${password}".encode()).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded: str) -> dict[str, Any]:
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password: str, encoded: str) -> bool:
        if len(password) < MIN_LENGTH:
            return False
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded: str) -> dict[Any, Any]:
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("salt"): mask_hash(decoded["salt"]),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password: str, encoded: str) -> None:
        return None
