"""Every dashboard figure equals the value computed independently from the orders themselves."""

from __future__ import annotations

from datetime import date

import pytest

from sangsaeng.insights import compaction, selectors, services
from sangsaeng.insights.engine import Range
from sangsaeng.insights.tests import dataset
from sangsaeng.insights.tests.conftest import PARTNER_A, PARTNER_B

pytestmark = pytest.mark.django_db

START = date(2026, 8, 1)


@pytest.fixture
def shop():
    shop = dataset.build([PARTNER_A, PARTNER_B], START, days=75)
    services.events_record(shop.events())
    compaction.compact()
    return shop


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 8, 1), date(2026, 8, 31)),
        (date(2026, 9, 10), date(2026, 10, 14)),
        (date(2026, 10, 1), date(2026, 10, 1)),
    ],
)
def test_every_figure_matches_the_orders(shop, staff, alice, start, end) -> None:
    want = dataset.expected(shop, PARTNER_A, start, end)
    got = selectors.dashboard(actor=alice, ref=PARTNER_A, r=Range(start, end))

    assert got["summary"] == want["summary"]
    assert [s["sessions"] for s in got["funnel"]] == want["funnel"]
    assert {k: got["returning"][k] for k in ("customers", "returning")} == want["returning"]
    assert got["top_products"] == want["top_products"]
    assert [d["followers"] for d in got["followers"]] == want["followers"]
    assert {
        b["broadcast"]: {k: b[k] for k in ("delivered", "opened", "clicked", "orders", "revenue")}
        for b in got["broadcasts"]
    } == want["broadcasts"]
    assert {c["cohort"]: c["customers"] for c in got["cohorts"]} == {k: v[0] for k, v in want["cohorts"].items()}
    for c in got["cohorts"]:
        counts = want["cohorts"][c["cohort"]]
        assert c["retention"] == [round(n / counts[0], 4) for n in counts]
    # daily sales add up to the period's total sales
    assert sum(d["sales"] for d in got["sales_daily"]) == want["summary"]["total_sales"]


def test_comparison_is_the_previous_period_of_equal_length(shop, staff, alice) -> None:
    r = Range(date(2026, 9, 1), date(2026, 9, 30))
    got = selectors.dashboard(actor=alice, ref=PARTNER_A, r=r)
    before = dataset.expected(shop, PARTNER_A, date(2026, 8, 2), date(2026, 8, 31))
    assert got["previous"] == {"start": "2026-08-02", "end": "2026-08-31"}
    assert got["summary_previous"] == before["summary"]
    now, was = got["summary"]["total_sales"], before["summary"]["total_sales"]
    assert got["change"]["total_sales"] == round((now - was) / was, 4)


def test_the_data_has_something_to_check(shop) -> None:
    """Guard against a vacuous pass: the known dataset exercises every widget."""
    want = dataset.expected(shop, PARTNER_A, date(2026, 8, 1), date(2026, 8, 31))
    assert want["summary"]["orders"] > 20 and want["summary"]["returns"] > 0
    assert want["broadcasts"] and any(b["orders"] for b in want["broadcasts"].values())
    assert dataset.expected(shop, PARTNER_A, date(2026, 9, 10), date(2026, 10, 14))["returning"]["returning"] > 0
    # one cohort (August); its later months count orders up to today, as a retention table does
    assert list(want["cohorts"]) == ["2026-08"] and want["cohorts"]["2026-08"][1] > 0


def test_compaction_is_idempotent_and_picks_up_new_events(shop, staff, alice) -> None:
    r = Range(date(2026, 8, 1), date(2026, 8, 31))
    before = selectors.dashboard(actor=alice, ref=PARTNER_A, r=r)["summary"]
    assert compaction.compact()["events"] == 0
    services.events_record(shop.events())  # a replay: dedupe keys keep orders from counting twice
    compaction.compact()
    assert selectors.dashboard(actor=alice, ref=PARTNER_A, r=r)["summary"] == before
    services.event_record(
        name="order_paid",
        partner_ref=PARTNER_A,
        occurred_at=dataset.datetime(2026, 8, 15, 3, tzinfo=dataset.KST),
        order_ref="o-late",
        subject="s_late",
        gross=10_000,
        dedupe_key="paid:o-late",
    )
    compaction.compact()
    after = selectors.dashboard(actor=alice, ref=PARTNER_A, r=r)["summary"]
    assert after["orders"] == before["orders"] + 1 and after["gross"] == before["gross"] + 10_000
