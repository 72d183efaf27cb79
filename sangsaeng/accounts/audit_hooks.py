"""Audit entries for allauth's and Django's auth events (their signals, not our flows)."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed, password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from sangsaeng.core.audit import audit_record


@receiver(user_logged_in, dispatch_uid="sangsaeng-audit-login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="signin.succeeded", actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="sangsaeng-audit-logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="signout", actor=user, request=request)


@receiver(email_confirmed, dispatch_uid="sangsaeng-audit-email")
def _email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    audit_record(action="email.verified", actor=email_address.user, request=request)


@receiver(password_changed, dispatch_uid="sangsaeng-audit-password-changed")
@receiver(password_reset, dispatch_uid="sangsaeng-audit-password-reset")
def _password(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="password.changed", actor=user, request=request)


@receiver(authenticator_added, dispatch_uid="sangsaeng-audit-mfa-added")
def _mfa_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit_record(action="mfa.added", actor=user, request=request, data={"type": authenticator.type})


@receiver(authenticator_removed, dispatch_uid="sangsaeng-audit-mfa-removed")
def _mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit_record(action="mfa.removed", actor=user, request=request, data={"type": authenticator.type})
