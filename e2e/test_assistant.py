"""A person asks the assistant for a business card in Korean, switches to health mode, forgets it all."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from sangsaeng.assistant.tests.conftest import alice_book  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def test_ask_for_a_card_then_health_then_forget(page, live_server, alice, bob, alice_book, shoot, settings):  # noqa: F811
    settings.ASSISTANT_LM_URL = ""
    base = live_server.url
    _sign_in(page, base, alice)
    page.goto(f"{base}/assistant/")
    shoot(page, "assistant-01-empty")
    page.fill("textarea[name=message]", "김민준 님 명함 찾아줘")
    page.get_by_role("button", name="보내기").click()
    page.wait_for_selector("[data-testid=assistant-answer]")
    assert "010-1234-5678" in (page.text_content("[data-testid=assistant-log]") or "")
    shoot(page, "assistant-02-card")
    page.select_option("select[name=persona]", "doctor")
    page.fill("textarea[name=message]", "가슴이 조여오고 숨이 차요")
    page.get_by_role("button", name="보내기").click()
    page.wait_for_selector("text=119")
    shoot(page, "assistant-03-doctor")
    assert [e for e in page.csp_errors if "Content Security Policy" in e] == []
    page.click("[data-testid=assistant-forget]")
    page.wait_for_selector("text=대화 기록을 모두 지웠어요.")
    assert page.locator("[data-testid=assistant-answer]").count() == 0
