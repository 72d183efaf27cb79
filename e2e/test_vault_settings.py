"""A person opens the password vault's settings: how to connect Bitwarden apps, open sign-up."""

from __future__ import annotations

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_vault_sign_up_for_the_bitwarden_app(page, live_server, alice, shoot):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/vault/settings/")
    assert "/vault" in page.content()  # the server URL the apps need
    shoot(page, "vault-01-settings")
    page.get_by_role("button", name="1시간 동안 가입 열기").click()
    page.wait_for_load_state()
    assert page.get_by_text("가입이 열려 있습니다").count() == 1
    shoot(page, "vault-02-signup-open")
