"""A person signs up, verifies the email, turns on TOTP, signs out, signs in with a code,
and switches the language, in a real browser."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest

from sangsaeng.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "jiwoo@example.com"
PASSWORD = "sangsaeng-e2e-passw0rd"


def _verification_link(outbox: Path) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in sorted(outbox.glob("*.log")):
            match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.read_text())
            if match:
                return match.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no verification mail in {outbox}")


def _fresh_code(totp: pyotp.TOTP, used: str) -> str:
    """A TOTP code is accepted once; wait for the next 30-second step if needed."""
    code = totp.now()
    while code == used:
        time.sleep(1)
        code = totp.now()
    return code


def test_sign_up_verify_totp_sign_in_and_switch_language(page, live_server, settings, shoot, tmp_path):
    outbox = tmp_path / "outbox"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"  # as `make run` does
    settings.EMAIL_FILE_PATH = str(outbox)
    base = live_server.url

    # Sign up
    page.goto(f"{base}/")
    shoot(page, "01-home")
    page.get_by_role("link", name="가입하기").first.click()
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    shoot(page, "02-signup")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    shoot(page, "03-verify-sent")

    # Follow the verification link from the outbox
    link = _verification_link(outbox)
    assert link.startswith(base), link
    page.goto(link)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert User.objects.get(email=EMAIL).emailaddress_set.get().verified
    assert page.get_by_test_id("signout").count() == 1  # confirming the email signed us in

    # Turn on TOTP: a security change asks for the password again first
    page.goto(f"{base}/accounts/2fa/totp/activate")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate"))
    secret = page.input_value("#authenticator_secret")
    totp = pyotp.TOTP(secret)
    used = totp.now()
    page.fill("input[name=code]", used)
    shoot(page, "04-totp-activate")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    shoot(page, "05-totp-on")
    assert User.objects.get(email=EMAIL).authenticator_set.filter(type="totp").exists()

    # Sign out
    page.goto(f"{base}/")
    page.get_by_test_id("signout").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("signout").count() == 0
    assert page.get_by_role("link", name="로그인").count() >= 1

    # Sign in with the password, then a TOTP code
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate"))
    shoot(page, "06-totp-challenge")
    page.fill("input[name=code]", _fresh_code(totp, used))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_test_id("signout").count() == 1
    shoot(page, "07-signed-in")

    # Switch to English and back
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Sign out").count() >= 1
    shoot(page, "08-english")
    page.get_by_test_id("lang-ko").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ko"

    # The same page on a phone: the navigation moves to a bottom tab bar
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/settings/addresses/")
    assert page.locator("nav.tabbar").is_visible()
    assert not page.locator("nav.topnav").is_visible()
    shoot(page, "09-mobile-addresses")

    # The strict CSP held: no violations were reported on any page
    violations = [e for e in page.csp_errors if "Content Security Policy" in e]
    assert not violations, violations
