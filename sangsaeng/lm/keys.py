"""API keys: create (shown once), authenticate, revoke.

A key is `sk-ss-` followed by 32 random bytes in base64url (256 bits). Only its SHA-256 is stored:
with that much entropy a slow password hash adds nothing against guessing, and a fast hash keeps
authentication on every API call cheap. Lookup is by the first characters (the prefix, unique and
not secret), then a constant-time comparison of the hashes.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from sangsaeng.core.errors import Problem
from sangsaeng.lm.models import ApiKey

KEY_PREFIX = "sk-ss-"
PREFIX_LENGTH = 14


@dataclass
class CreatedKey:
    key: ApiKey
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def access_key(*, actor: Any, key_id: uuid.UUID | str) -> ApiKey:
    """The actor's own key; the same 404 for a missing key and someone else's."""
    try:
        return ApiKey.objects.get(public_id=key_id, owner=actor)
    except (ApiKey.DoesNotExist, ValueError, TypeError):
        raise Problem(status=404, code="not_found", ko="키를 찾을 수 없습니다.", en="Key not found.") from None


def key_create(
    *,
    owner: Any,
    label: str,
    partner: str = "",
    requests_per_minute: int | None = None,
    max_concurrent: int | None = None,
    monthly_token_quota: int | None = None,
) -> CreatedKey:
    """Create a key for `owner`; the secret is returned here once and never stored."""
    label = label.strip()
    if not label or len(label) > 80:
        raise Problem(
            status=400,
            code="invalid_label",
            ko="키 이름은 1~80자로 입력하세요.",
            en="Name the key (1-80 characters).",
            field="label",
        )
    if len(partner.strip()) > 80:
        raise Problem(
            status=400,
            code="invalid_partner",
            ko="파트너 이름은 80자 이내로 입력하세요.",
            en="Partner label is too long.",
            field="partner",
        )
    limits = {
        "requests_per_minute": requests_per_minute if requests_per_minute is not None else settings.LM_DEFAULT_RPM,
        "max_concurrent": max_concurrent if max_concurrent is not None else settings.LM_DEFAULT_CONCURRENCY,
        "monthly_token_quota": monthly_token_quota
        if monthly_token_quota is not None
        else settings.LM_DEFAULT_MONTHLY_TOKENS,
    }
    for name, value in limits.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1 or value > 10**12:
            raise Problem(
                status=400,
                code="invalid_limit",
                ko="한도는 1 이상의 정수여야 합니다.",
                en="Limits must be positive integers.",
                field=name,
            )
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            owner=owner,
            label=label,
            partner=partner.strip(),
            prefix=secret[:PREFIX_LENGTH],
            key_hash=_hash(secret),
            **limits,
        )
    return CreatedKey(key=key, secret=secret)


def key_revoke(*, actor: Any, key_id: uuid.UUID | str) -> ApiKey:
    key = access_key(actor=actor, key_id=key_id)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
    return key


def key_authenticate(*, secret: str) -> ApiKey | None:
    """The live key for this secret, or None (unknown, malformed or revoked)."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    key = ApiKey.objects.filter(prefix=secret[:PREFIX_LENGTH]).select_related("owner").first()
    if key is None or not constant_time_compare(key.key_hash, _hash(secret)) or key.revoked_at is not None:
        return None
    if not key.owner.is_active:
        return None
    return key
