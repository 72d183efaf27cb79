"""A person tries the Korean model in the playground (streamed output) and makes an API key."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD
from sangsaeng.lm.services import key_authenticate
from sangsaeng.lm.tests.conftest import lm_engine, lm_local, lm_port  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def test_the_playground_streams_korean_output(page, live_server, alice, lm_local, shoot):  # noqa: F811
    base = live_server.url
    _sign_in(page, base, alice)
    page.goto(f"{base}/lm/")
    page.fill("[data-testid=lm-prompt]", "대한민국 헌법")
    page.check("input[name=mode][value=completion]")
    page.fill("#lm-temp", "0")
    shoot(page, "lm-01-playground")
    page.click("[data-testid=lm-run]")
    page.wait_for_selector("[data-testid=lm-status][data-state]", timeout=120_000)
    assert page.get_attribute("[data-testid=lm-status]", "data-state") == "done", page.text_content("#lm-status")
    output = page.text_content("[data-testid=lm-output]") or ""
    assert HANGUL.search(output), output
    assert [e for e in page.csp_errors if "WebSocket" not in e] == []  # no CSP refusal; the test has no WS server
    shoot(page, "lm-02-streamed")


def test_the_developer_console_creates_a_key(page, live_server, alice, shoot):
    base = live_server.url
    _sign_in(page, base, alice)
    page.goto(f"{base}/lm/keys/")
    page.fill("input[name=label]", "상생마켓 챗봇")
    page.fill("input[name=partner]", "상생마켓")
    page.click("[data-testid=lm-create-key]")
    secret = (page.text_content("[data-testid=lm-secret]") or "").strip()
    key = key_authenticate(secret=secret)
    assert key is not None and key.owner == alice and key.partner == "상생마켓"
    assert page.locator("[data-testid=lm-key-row]").count() == 1
    shoot(page, "lm-03-console")
    page.goto(f"{base}/lm/usage/")
    shoot(page, "lm-04-usage")
