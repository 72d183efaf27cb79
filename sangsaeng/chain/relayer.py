"""The relayer: the platform account that signs and pays for every transaction we send.

Users never hold coins; their custodial keys only sign permits that the relayer submits.
"""

from __future__ import annotations

import os
import secrets
import time
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

# A fixed key keeps test runs reproducible; it is never used outside the test profile.
TEST_RELAYER_KEY = "0x" + keccak(text="sangsaeng test relayer").hex()


def relayer_key() -> str:
    """CHAIN_RELAYER_KEY; in development one made once and kept in CHAIN_NODE_DIR, like SECRET_KEY."""
    if settings.CHAIN_RELAYER_KEY:
        return str(settings.CHAIN_RELAYER_KEY)
    if settings.PRODUCTION:
        raise ImproperlyConfigured("CHAIN_RELAYER_KEY is required when SANGSAENG_PROFILE=production")
    if settings.TESTING:
        return TEST_RELAYER_KEY
    path = settings.CHAIN_NODE_DIR / "relayer.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: the node and the web processes start together; exactly one of them makes the key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write("0x" + secrets.token_hex(32))
    for _ in range(50):
        key = path.read_text().strip()
        if len(key) == 66:
            return key
        time.sleep(0.01)  # the creator is still writing it
    raise ImproperlyConfigured(f"{path} does not hold a 0x-hex private key")


@cache
def _account(key: str) -> LocalAccount:
    return Account.from_key(key)


def relayer_account() -> LocalAccount:
    return _account(relayer_key())
