"""The lm app's public operations: API keys and usage metering. Other apps import these and selectors."""

from __future__ import annotations

from sangsaeng.lm.keys import CreatedKey, access_key, key_authenticate, key_create, key_revoke
from sangsaeng.lm.usage import usage_record

__all__ = ["CreatedKey", "access_key", "key_authenticate", "key_create", "key_revoke", "usage_record"]
