"""Session fixation: a session id known before sign-in (planted by an attacker, say) is worthless
after it. Each way of signing in issues a new id and deletes the old session; signing out deletes it
too. (sangsaeng is an OpenID provider, not a relying party: there is no "sign in with" path to test.)"""

from __future__ import annotations

import pyotp
import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.utils.module_loading import import_string

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _store(key: str | None = None) -> SessionBase:
    from django.conf import settings

    return import_string(settings.SESSION_ENGINE + ".SessionStore")(key)


def _planted(client) -> str:
    """An anonymous session with something in it, as the sign-in page leaves one."""
    client.get("/accounts/login/")
    session = client.session
    session["planted"] = "yes"
    session.save()
    client.cookies["sessionid"] = session.session_key
    return session.session_key


def _assert_rotated(client, before: str, user) -> None:
    after = client.cookies["sessionid"].value
    assert after != before
    assert not _store().exists(before)
    assert _store(after).get("_auth_user_id") == str(user.pk)


def test_a_password_sign_in_issues_a_new_session_id(client, alice):
    before = _planted(client)
    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    _assert_rotated(client, before, alice)


def test_a_sign_in_with_a_totp_second_factor_issues_a_new_session_id(client, alice):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    # given alice signs in with a password and a TOTP code
    secret = generate_totp_secret()
    TOTP.activate(alice, secret)
    before = _planted(client)
    # when the password is right, she is not signed in yet, and the half-way session is not the planted one
    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    halfway = client.cookies["sessionid"].value
    assert "_auth_user_id" not in _store(halfway).load()
    # then the code signs her in on yet another id, and neither earlier one survives
    response = client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content[:300]
    _assert_rotated(client, before, alice)
    assert client.cookies["sessionid"].value != halfway
    assert not _store().exists(halfway)


def test_signing_in_as_someone_else_on_a_used_browser_gets_a_new_session_id(client, alice, bob):
    # signing in as another user over an existing session never reuses its id
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    alices = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": bob.email, "password": PASSWORD})
    _assert_rotated(client, alices, bob)


def test_signing_out_deletes_the_session(client, alice):
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    signed_in = client.cookies["sessionid"].value
    assert _store().exists(signed_in)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not _store().exists(signed_in)
    assert client.get("/settings/").status_code == 302  # back to the sign-in page
