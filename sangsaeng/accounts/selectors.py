"""Reads of accounts data for other apps (Sync reads shipping addresses from here)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from sangsaeng.accounts.models import Address, PersonalAccessToken, User


def user_get(*, public_id: Any) -> User | None:
    try:
        return User.objects.filter(public_id=public_id).first()
    except (ValueError, TypeError):
        return None


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email=email.strip().lower()).first()


def email_is_verified(*, user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()


def address_list(*, user: User) -> list[Address]:
    return list(Address.objects.filter(user=user).order_by("-is_default", "-updated_at"))


def address_get_default(*, user: User) -> Address | None:
    return Address.objects.filter(user=user, is_default=True).first()


def token_list(*, user: User) -> list[PersonalAccessToken]:
    return list(PersonalAccessToken.objects.filter(user=user).order_by("-created_at"))


def session_list(*, user: User) -> list[UserSession]:
    return list(UserSession.objects.purge_and_list(user))


def mfa_types(*, user: User) -> list[str]:
    return sorted(set(Authenticator.objects.filter(user=user).values_list("type", flat=True)))
