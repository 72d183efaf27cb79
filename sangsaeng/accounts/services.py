"""Account operations: users, addresses, personal access tokens, sessions, deletion."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from sangsaeng.accounts.models import Address, PersonalAccessToken, User
from sangsaeng.core.audit import audit_record
from sangsaeng.core.errors import Problem, invalid_token, not_found
from sangsaeng.core.outbox import event_emit

MAX_ADDRESSES = 20
TOKEN_PREFIX = "ssg_"


# Users -------------------------------------------------------------------------------------------


def user_create(
    *,
    email: str,
    password: str,
    display_name: str = "",
    verified: bool = False,
    staff: bool = False,
    validate: bool = True,
) -> User:
    """Create a user with a primary email address (verified or not) and an Argon2 password hash."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise Problem(
            code="email_taken", status=409, ko="이미 가입된 이메일입니다.", en="This email is taken.", field="email"
        )
    if validate:
        try:
            validate_password(password, User(email=email, display_name=display_name))
        except ValidationError as exc:
            raise Problem(
                code="weak_password", ko=" ".join(exc.messages), en="The password is too weak.", field="password"
            ) from exc
    with transaction.atomic():
        user = User.objects.create_user(email, password, display_name=display_name, is_staff=staff)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def user_update_profile(
    *, user: User, display_name: str, phone: str, birthdate: date | None = None, gender: str | None = None
) -> User:
    """Update the profile; birth date and gender are optional and shared only with consent (Sync)."""
    user.display_name = display_name.strip()
    user.phone = phone.strip()
    fields = ["display_name", "phone"]
    if birthdate is not None:
        if birthdate > timezone.localdate() or birthdate.year < 1900:
            raise Problem(
                code="invalid_field",
                status=422,
                ko="생년월일이 올바르지 않습니다.",
                en="The birth date is not valid.",
                field="birthdate",
            )
        user.birthdate = birthdate
        fields.append("birthdate")
    if gender is not None:
        user.gender = gender
        fields.append("gender")
    try:
        user.full_clean(validate_unique=False, exclude=["password"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise Problem(
            code="invalid_field", status=422, ko=messages[0], en="The value is not valid.", field=field
        ) from exc
    user.save(update_fields=fields)
    return user


def user_delete(*, user: User, request: HttpRequest | None = None) -> None:
    """Delete an account: sign out everywhere, erase personal data, and announce `account_deleted`.

    The row stays, anonymised and inactive, so other apps' handlers of the event (Sync's unlink
    webhooks, for one) can still find what they must clean up by the user's public id.
    """
    with transaction.atomic():
        public_id = str(user.public_id)
        email = user.email
        for session in UserSession.objects.filter(user=user):
            session.end()
        PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        Address.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        user.email = f"deleted-{public_id}@deleted.invalid"
        user.display_name = ""
        user.phone = ""
        user.birthdate = None
        user.gender = ""
        user.is_active = False
        user.deleted_at = timezone.now()
        user.set_unusable_password()
        user.save(
            update_fields=[
                "email",
                "display_name",
                "phone",
                "birthdate",
                "gender",
                "is_active",
                "deleted_at",
                "password",
            ]
        )
        audit_record(action="account.deleted", actor=None, request=request, target=public_id)
        event_emit(name="account_deleted", payload={"user_id": public_id, "email_sha256": _sha(email)})


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# Addresses ---------------------------------------------------------------------------------------

ADDRESS_FIELDS = (
    "name",
    "type",
    "base_address",
    "detail_address",
    "zone_number",
    "receiver_name",
    "receiver_phone_number1",
    "receiver_phone_number2",
)


def access_address(*, actor: User, address_id: Any) -> Address:
    """The same 404 for a missing address and for someone else's."""
    try:
        return Address.objects.get(public_id=address_id, user=actor)
    except (Address.DoesNotExist, ValidationError, ValueError) as exc:
        raise not_found("address") from exc


def _address_validate(address: Address) -> None:
    try:
        address.full_clean(exclude=["user"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise Problem(
            code="invalid_field", status=422, ko=str(messages[0]), en=f"{field} is not valid.", field=field
        ) from exc


def address_create(*, user: User, data: dict[str, Any], is_default: bool = False) -> Address:
    with transaction.atomic():
        existing = Address.objects.select_for_update().filter(user=user)
        count = existing.count()
        if count >= MAX_ADDRESSES:
            raise Problem(
                code="address_limit",
                status=409,
                ko=f"배송지는 최대 {MAX_ADDRESSES}개까지 저장할 수 있습니다.",
                en=f"At most {MAX_ADDRESSES} addresses can be saved.",
            )
        address = Address(user=user, **{k: data.get(k, "") for k in ADDRESS_FIELDS if k in data})
        address.type = data.get("type") or Address.Type.NEW
        _address_validate(address)
        make_default = is_default or count == 0
        if make_default:
            existing.filter(is_default=True).update(is_default=False)
        address.is_default = make_default
        address.save()
    return address


def address_update(*, actor: User, address_id: Any, data: dict[str, Any]) -> Address:
    with transaction.atomic():
        address = access_address(actor=actor, address_id=address_id)
        changed = [k for k in ADDRESS_FIELDS if k in data]
        for key in changed:
            setattr(address, key, data[key])
        _address_validate(address)
        address.save(update_fields=[*changed, "updated_at"])
        if data.get("is_default"):
            address_set_default(actor=actor, address_id=address_id)
            address.refresh_from_db()
    return address


def address_set_default(*, actor: User, address_id: Any) -> Address:
    with transaction.atomic():
        address = access_address(actor=actor, address_id=address_id)
        Address.objects.filter(user=actor, is_default=True).exclude(pk=address.pk).update(is_default=False)
        address.is_default = True
        address.save(update_fields=["is_default", "updated_at"])
    return address


def address_delete(*, actor: User, address_id: Any) -> None:
    with transaction.atomic():
        address = access_address(actor=actor, address_id=address_id)
        was_default = address.is_default
        address.delete()
        if was_default:
            successor = Address.objects.filter(user=actor).order_by("-updated_at").first()
            if successor:
                successor.is_default = True
                successor.save(update_fields=["is_default", "updated_at"])


# Personal access tokens --------------------------------------------------------------------------


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(
    *, user: User, label: str, expires_in_days: int | None = None, request: HttpRequest | None = None
) -> tuple[PersonalAccessToken, str]:
    """Create a token and return it with its secret, the only time the secret is available.

    The secret has 256 bits of entropy, so a fast hash (SHA-256) is enough to store it; a slow
    hash would only slow every API call. The prefix finds the row without scanning.
    """
    label = label.strip()[:60] or "API"
    if expires_in_days is not None and not (1 <= expires_in_days <= 3650):
        raise Problem(
            code="invalid_field",
            status=422,
            ko="만료일은 1~3650일입니다.",
            en="Expiry must be 1 to 3650 days.",
            field="expires_in_days",
        )
    prefix = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = PersonalAccessToken.objects.create(
        user=user,
        label=label,
        prefix=prefix,
        token_hash=_token_hash(secret),
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    audit_record(action="token.created", actor=user, request=request, target=str(token.public_id))
    return token, secret


def token_authenticate(*, secret: str) -> User:
    """Resolve a bearer secret to its active user, or refuse with invalid_token."""
    if not secret.startswith(TOKEN_PREFIX) or secret.count("_") < 2:
        raise invalid_token()
    prefix = secret[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = PersonalAccessToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.token_hash, _token_hash(secret)):
        raise invalid_token()
    if not token.is_usable or not token.user.is_active:
        raise invalid_token()
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def access_token(*, actor: User, token_id: Any) -> PersonalAccessToken:
    try:
        return PersonalAccessToken.objects.get(public_id=token_id, user=actor)
    except (PersonalAccessToken.DoesNotExist, ValidationError, ValueError) as exc:
        raise not_found("token") from exc


def token_revoke(*, actor: User, token_id: Any, request: HttpRequest | None = None) -> PersonalAccessToken:
    token = access_token(actor=actor, token_id=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(action="token.revoked", actor=actor, request=request, target=str(token.public_id))
    return token


# Sessions ----------------------------------------------------------------------------------------


def access_session(*, actor: User, session_id: Any) -> UserSession:
    try:
        return UserSession.objects.get(pk=int(session_id), user=actor)
    except (UserSession.DoesNotExist, ValueError, TypeError) as exc:
        raise not_found("session") from exc


def session_revoke(*, actor: User, session_id: Any, request: HttpRequest | None = None) -> None:
    """End one of the user's sessions (another device); that device is signed out at once."""
    session = access_session(actor=actor, session_id=session_id)
    session.end()
    audit_record(action="session.revoked", actor=actor, request=request, target=str(session.pk))
