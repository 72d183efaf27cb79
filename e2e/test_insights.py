"""A partner opens their channel's data: KPIs with comparison, charts drawn in the browser, cohorts,
the customer segments page, and a CSV download."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from sangsaeng.insights import compaction, services
from sangsaeng.insights.bridge import ref_for
from sangsaeng.insights.demo import history
from sangsaeng.partners import services as partners

pytestmark = pytest.mark.django_db(transaction=True)


def test_partner_dashboard_with_charts(page, live_server, alice, bob, shoot):
    channel = partners.channel_create(owner=alice, name="상생마켓", handle="sangsaeng-market")
    ref = ref_for(channel.public_id)
    services.events_record(history(ref, days=70))
    services.consent_grant(partner_ref=ref, user=bob)
    compaction.compact()
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")

    page.locator(".topnav").get_by_role("link", name="파트너 데이터").click()
    page.wait_for_url(f"{base}/insights/{ref}/")
    for chart in ("chart-sales", "chart-funnel", "chart-followers", "chart-products", "chart-cohorts"):
        page.wait_for_selector(f"#{chart}[data-rendered='1'] svg")
    assert page.get_by_test_id("kpi-sales").inner_text().endswith("원")
    assert int(page.get_by_test_id("kpi-orders").inner_text().replace(",", "")) > 0
    assert page.locator("[data-testid=broadcasts] tbody tr").count() >= 1
    shoot(page, "insights-01-dashboard")

    page.get_by_role("link", name="고객 세그먼트").click()
    page.wait_for_url(f"{base}/insights/{ref}/customers/")
    shoot(page, "insights-02-customers")

    page.goto(f"{base}/insights/{ref}/")
    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()
    assert download.value.suggested_filename.endswith(".csv")
