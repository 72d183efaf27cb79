"""Per-device WebDAV app passwords: created and revoked in settings, checked on Basic auth.

A secret carries 256 bits of entropy, so a SHA-256 of it is enough at rest (as for API tokens);
the prefix finds the row without scanning, and the comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone

from sangsaeng.accounts.selectors import User
from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.drawer.models import AppPassword

PREFIX = "dav_"
BAD_PASSWORD_SCOPE = "drawer-dav-bad-password"
BAD_PASSWORD_LIMIT = 30
BAD_PASSWORD_WINDOW = 300


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def app_password_create(*, owner: User, label: str) -> tuple[AppPassword, str]:
    """A new app password and its secret, which is shown this once only."""
    label = label.strip()[:60]
    if not label:
        raise Problem(
            code="missing_field",
            status=422,
            ko="기기 이름을 입력하세요.",
            en="A device label is required.",
            field="label",
        )
    prefix = secrets.token_hex(6)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = AppPassword.objects.create(owner=owner, label=label, prefix=prefix, secret_hash=_hash(secret))
    return row, secret


def access_app_password(*, actor: User, id: UUID | str) -> AppPassword:
    """The actor's app password, or one 404 for "missing" and "not yours"."""
    try:
        row = AppPassword.objects.filter(owner=actor, public_id=UUID(str(id))).first()
    except ValueError:
        row = None
    if row is None:
        raise not_found("app password")
    return row


def app_password_revoke(*, actor: User, id: UUID | str) -> AppPassword:
    row = access_app_password(actor=actor, id=id)
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at", "updated_at"])
    return row


def app_password_list(*, owner: User) -> list[AppPassword]:
    return list(AppPassword.objects.filter(owner=owner).order_by("-created_at"))


def app_password_authenticate(*, email: str, secret: str) -> User | None:
    """The user whose live app password this is (the email must match too), else None."""
    if not secret.startswith(PREFIX) or secret.count("_") < 2:
        return None
    prefix = secret[len(PREFIX) :].split("_", 1)[0]
    row = AppPassword.objects.select_related("owner").filter(prefix=prefix, revoked_at__isnull=True).first()
    if row is None or not hmac.compare_digest(row.secret_hash, _hash(secret)):
        return None
    if not row.owner.is_active or row.owner.email.lower() != email.strip().lower():
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        AppPassword.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.owner


def basic_credentials(header: str) -> tuple[str, str] | None:
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    email, sep, secret = decoded.partition(":")
    return (email, secret) if sep else None


def basic_authenticate(*, header: str, ip: str) -> User | None:
    """Basic auth by app password, rate-limited per IP on failures."""
    credentials = basic_credentials(header)
    if credentials is None:
        return None
    ratelimit.check(scope=BAD_PASSWORD_SCOPE, key=ip, limit=BAD_PASSWORD_LIMIT, window=BAD_PASSWORD_WINDOW)
    user = app_password_authenticate(email=credentials[0], secret=credentials[1])
    if user is None:
        ratelimit.hit(scope=BAD_PASSWORD_SCOPE, key=ip, window=BAD_PASSWORD_WINDOW)
    return user


def request_user(request: HttpRequest) -> User | None:
    """Who sent a protocol request (tus, downloads): the session, a Bearer API token, or an app password."""
    from sangsaeng.accounts.services import token_authenticate

    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return token_authenticate(secret=header[7:].strip())
    if header.lower().startswith("basic "):
        return basic_authenticate(header=header, ip=ratelimit.client_ip(request))
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None
