"""The relayer: the platform account that signs and pays for every transaction we send.

Users never hold coins; their custodial keys only sign permits that the relayer submits.
"""

from __future__ import annotations

import secrets
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
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("0x" + secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


@cache
def _account(key: str) -> LocalAccount:
    return Account.from_key(key)


def relayer_account() -> LocalAccount:
    return _account(relayer_key())
