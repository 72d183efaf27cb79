import re

import pytest
from django.core import mail

from sangsaeng.accounts.models import User

pytestmark = pytest.mark.django_db


def test_sign_up_sends_a_verification_link_and_blocks_sign_in_until_verified(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "a-fine-passw0rd", "password2": "a-fine-passw0rd"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[상생]")
    match = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", str(mail.outbox[0].body))
    assert match
    link = match.group(1)
    assert client.get("/settings/").status_code == 302  # not signed in until verified
    assert client.post(link).status_code == 302
    from sangsaeng.accounts.selectors import email_is_verified

    assert email_is_verified(user=User.objects.get(email="new@example.com"))


def test_password_reset_mails_a_working_link(client, alice):
    client.post("/accounts/password/reset/", {"email": alice.email})
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", str(mail.outbox[0].body))
    assert match
    path = match.group(1)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0], {"password1": "brand-new-passw0rd", "password2": "brand-new-passw0rd"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-passw0rd")


def test_unknown_email_reset_reveals_nothing(client, alice):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302


def test_mfa_pages_offer_totp_passkeys_and_recovery_codes(client, alice):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    client.force_login(alice)
    page = client.get("/accounts/2fa/").content.decode()
    assert "/accounts/2fa/totp/activate" in page
    assert "/accounts/2fa/webauthn/" in page
    # once TOTP is on, recovery codes are offered too
    TOTP.activate(alice, generate_totp_secret())
    RecoveryCodes.activate(alice)
    page = client.get("/accounts/2fa/").content.decode()
    assert "/accounts/2fa/recovery-codes/" in page
    from sangsaeng.accounts.selectors import mfa_types

    assert mfa_types(user=alice) == ["recovery_codes", "totp"]


def test_smtp_email_url_is_parsed():
    from sangsaeng.settings import _email_settings

    parsed = _email_settings("smtp+tls://mailer:p%40ss@smtp.example.com:587/?from=no-reply@example.com")
    assert parsed == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "DEFAULT_FROM_EMAIL": "no-reply@example.com",
    }
