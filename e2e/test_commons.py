"""A person contributes Korean text in the commons, sees it accepted with its reasons, sees the shares
on the chain explorer, and reads the month's revenue-share statement in the browser."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from conftest import PASSWORD
from sangsaeng.chain.gateway import contract_at
from sangsaeng.chain.services import wallet_get_or_create
from sangsaeng.chain.tests.conftest import deployed, embedded, embedded_node  # noqa: F401  (fixtures)
from sangsaeng.contributions import services
from sangsaeng.contributions.models import Contribution
from sangsaeng.contributions.tests.test_commons_on_chain import UNIT, drain
from sangsaeng.lm.models import UsageDay
from sangsaeng.lm.services import key_create
from sangsaeng.lm.tests.test_provenance import TEXTS

pytestmark = pytest.mark.django_db(transaction=True)


def test_contribute_see_shares_on_chain_and_read_the_statement(
    page,
    live_server,
    alice,
    embedded,  # noqa: F811
    deployed,  # noqa: F811
    settings,
    shoot,
):
    settings.LM_PRICE_WON_PER_1K_TOKENS = 1000  # 1 won per token
    settings.COMMONS_REVENUE_SHARE_BPS = 3000
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")

    # contribute pasted text under CC0: the pipeline decides it and says why
    page.goto(f"{base}/commons/")
    page.fill("input[name=title]", "우리 동네 이야기")
    page.fill("textarea[name=text]", TEXTS[0])
    page.check("input[name=licence][value=cc0]")
    page.check("input[name=licence_accepted]")
    shoot(page, "commons-01-contribute")
    page.get_by_role("button", name="기여하기").click()
    page.wait_for_url(re.compile(r"/commons/[0-9a-f-]{36}/$"))
    contribution = Contribution.objects.get(owner=alice)
    assert contribution.status == "accepted", contribution.reasons
    assert page.text_content("[data-testid=status]").strip() == "수락됨"
    assert page.locator("[data-testid=documents] tbody tr").count() == 1
    shoot(page, "commons-02-accepted")

    # the shares are minted through the outbox: on chain, in alice's custodial wallet
    drain()
    wallet = wallet_get_or_create(user=alice).address
    shares = contract_at("ContributionShares", deployed["ContributionShares"])
    assert shares.functions.balanceOf(wallet).call() == contribution.token_count * UNIT > 0

    # last month's LM API revenue is paid from the on-chain balances; alice reads her statement
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    key = key_create(owner=alice, label="상담 챗봇").key
    UsageDay.objects.create(key=key, day=last_month, requests=2, prompt_tokens=600, completion_tokens=400)
    services.revenue_distribute(period=last_month.strftime("%Y-%m"))
    page.goto(f"{base}/commons/")
    page.get_by_test_id("earnings-link").click()
    page.wait_for_url(f"{base}/commons/earnings/")
    assert "300" in page.text_content("[data-testid=earnings-total]")
    shoot(page, "commons-03-earnings")
    page.locator("[data-testid=statements] a").first.click()
    page.wait_for_url(re.compile(r"/commons/earnings/[0-9a-f-]{36}/$"))
    assert "300" in page.text_content("[data-testid=statement-amount]")
    assert [e for e in page.csp_errors if "WebSocket" not in e] == []
    shoot(page, "commons-04-statement")
