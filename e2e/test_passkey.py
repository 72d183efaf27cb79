"""Passkeys: add one with Chromium's virtual authenticator, sign out, sign in with it alone."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_a_passkey_and_sign_in_with_it(page, live_server, alice, shoot):
    base = live_server.url
    # a platform authenticator with user verification, as on a phone or laptop
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/accounts/2fa/webauthn/add/")
    if "/accounts/reauthenticate/" in page.url:  # security changes confirm the password first
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page.fill("input[name=name]", "노트북 패스키")
    passwordless = page.locator("input[name=passwordless]")
    if passwordless.count():
        passwordless.check()
    shoot(page, "passkey-01-add")
    page.click("#mfa_webauthn_add")
    # anchored: the add page's own URL (/accounts/2fa/webauthn/add/) must not satisfy the wait
    page.wait_for_url(re.compile(r"/accounts/2fa/(recovery-codes|webauthn)/?(\?.*)?$"))
    shoot(page, "passkey-02-added")
    assert alice.authenticator_set.filter(type="webauthn").count() == 1

    page.goto(f"{base}/")
    page.get_by_test_id("signout").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("signout").count() == 0

    # sign in with the passkey only: no email, no password
    page.goto(f"{base}/accounts/login/")
    shoot(page, "passkey-03-login")
    # the session that holds the passkey challenge (what a fixation attacker could know) ...
    ajax = "{headers: {'X-Requested-With': 'XMLHttpRequest'}}"
    begin = f"fetch('/accounts/2fa/webauthn/login/', {ajax}).then(r => r.status)"
    assert page.evaluate(begin) == 200
    before = {c["name"]: c["value"] for c in page.context.cookies()}.get("sessionid")
    page.click("#passkey_login")
    page.wait_for_url(f"{base}/")
    assert page.get_by_test_id("signout").count() == 1
    # ... is not the signed-in one: passkey sign-in issues a new session id
    after = {c["name"]: c["value"] for c in page.context.cookies()}.get("sessionid")
    assert before and after and before != after
    shoot(page, "passkey-04-signed-in")
