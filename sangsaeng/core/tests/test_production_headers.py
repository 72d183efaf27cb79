"""Under the production profile, HTTPS is enforced: plain HTTP redirects, HSTS is sent, and the
session and CSRF cookies are Secure (and the session cookie HttpOnly, SameSite=Lax).

The profile is read from a real `SANGSAENG_PROFILE=production` process (settings are module-level,
so it cannot be switched inside this one); its security settings then drive requests here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from sangsaeng.core.tests.test_settings_profiles import PRODUCTION, ROOT

pytestmark = pytest.mark.django_db

KEYS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REDIRECT_EXEMPT",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
]


@pytest.fixture(scope="module")
def production_security(tmp_path_factory):
    skip = ("SECRET_KEY", "SANGSAENG_", "DATABASE_URL", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(PRODUCTION, PYTHONPATH=str(ROOT), SANGSAENG_VAR_DIR=str(tmp_path_factory.mktemp("var")))
    env["DJANGO_SETTINGS_MODULE"] = "sangsaeng.settings"
    code = "import json, sys; from django.conf import settings as s; "
    code += "print(json.dumps({k: getattr(s, k) for k in sys.argv[1:]}))"
    result = subprocess.run(
        [sys.executable, "-c", code, *KEYS], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_security):
    for key, value in production_security.items():
        setattr(settings, key, value)
    return production_security


def test_the_production_profile_turns_every_https_setting_on(production_security):
    assert production_security["SECURE_SSL_REDIRECT"] is True
    assert production_security["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production_security["SESSION_COOKIE_SECURE"] is True
    assert production_security["CSRF_COOKIE_SECURE"] is True


def test_plain_http_is_redirected_to_https(production):
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    assert "Strict-Transport-Security" not in response  # HSTS only counts over HTTPS


@pytest.mark.parametrize("how", ["tls", "proxy"])
def test_https_responses_send_hsts_and_secure_cookies(production, alice, how):
    https: dict[str, Any] = {"secure": True} if how == "tls" else {"HTTP_X_FORWARDED_PROTO": "https"}
    client = Client()
    page = client.get("/accounts/login/", **https)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page.cookies["csrftoken"]["secure"] is True
    signed_in = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD}, **https)
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True and session["samesite"] == "Lax"
