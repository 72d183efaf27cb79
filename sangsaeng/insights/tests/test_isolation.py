"""Partner A's dashboard, exports and API never include partner B's events; strangers get 404."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import duckdb
import pytest

from sangsaeng.insights import compaction, selectors, services
from sangsaeng.insights.engine import Range
from sangsaeng.insights.models import Event
from sangsaeng.insights.tests.conftest import PARTNER_A, PARTNER_B

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 2)


def paid(ref: str, order: str, gross: int, subject: str = "s_x") -> services.EventIn:
    return services.EventIn(
        name="order_paid",
        partner_ref=ref,
        occurred_at=datetime(2026, 11, 2, 12, tzinfo=services.KST),
        order_ref=order,
        subject=subject,
        session_id="k_" + order.ljust(10, "x"),
        gross=gross,
    )


@pytest.fixture
def two_shops(staff):
    services.events_record(
        [paid(PARTNER_A, "a1", 10_000), paid(PARTNER_A, "a2", 20_000), paid(PARTNER_B, "b1", 999_000, "s_secret")]
    )
    services.events_record(
        [
            services.EventIn(
                name="order_line",
                partner_ref=PARTNER_B,
                occurred_at=datetime(2026, 11, 2, 12, tzinfo=services.KST),
                order_ref="b1",
                product_ref="p-b",
                label="B만의 비밀 상품",
                quantity=1,
                gross=999_000,
            )
        ]
    )
    compaction.compact()


def test_dashboard_sees_only_its_own_partner(two_shops, alice) -> None:
    got = selectors.dashboard(actor=alice, ref=PARTNER_A, r=Range(DAY, DAY))
    assert got["summary"]["gross"] == 30_000 and got["summary"]["orders"] == 2
    assert got["top_products"] == []


def test_files_are_per_partner_and_the_query_filters_too(two_shops) -> None:
    files = compaction.partner_files(PARTNER_A)
    assert files and all("partner=test_aaaa1111" in str(f) for f in files)
    # even the raw file of A holds only A's rows
    refs = duckdb.connect().execute("SELECT DISTINCT partner_ref FROM read_parquet(?)", [str(files[0])]).fetchall()
    assert refs == [(PARTNER_A,)]


def test_strangers_and_other_partners_get_404_everywhere(two_shops, api_bob) -> None:
    client = api_bob
    for url in (
        f"/api/v1/insights/partners/{PARTNER_A}/dashboard?start=2026-11-01&end=2026-11-03",
        f"/api/v1/insights/partners/{PARTNER_A}/metrics/summary",
        f"/api/v1/insights/partners/{PARTNER_A}/customers",
        f"/api/v1/insights/partners/{PARTNER_A}/export?format=csv",
        "/api/v1/insights/partners/test:nope/dashboard",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert [p["ref"] for p in client.get("/api/v1/insights/partners").json()] == [PARTNER_B]


def test_pages_404_for_other_partners(two_shops, bob, client) -> None:
    client.force_login(bob)
    for url in (
        f"/insights/{PARTNER_A}/",
        f"/insights/{PARTNER_A}/customers/",
        f"/insights/{PARTNER_A}/export.csv",
        f"/insights/{PARTNER_A}/customers.csv",
    ):
        assert client.get(url).status_code == 404, url


def test_exports_hold_only_the_partners_rows(two_shops, api_alice) -> None:
    client = api_alice
    response = client.get(f"/api/v1/insights/partners/{PARTNER_A}/export?format=csv&start=2026-11-01&end=2026-11-03")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["order_ref"] for r in rows) == ["a1", "a2"]
    assert "s_secret" not in body and "999000" not in body

    response = client.get(
        f"/api/v1/insights/partners/{PARTNER_A}/export?format=parquet&start=2026-11-01&end=2026-11-03"
    )
    data = b"".join(response.streaming_content)
    assert data[:4] == b"PAR1"
    path = compaction.temp_export_path(".parquet")
    path.write_bytes(data)
    assert duckdb.connect().execute("SELECT sum(gross) FROM read_parquet(?)", [str(path)]).fetchone() == (30_000,)
    path.unlink()


def test_events_cannot_be_changed_or_deleted(two_shops) -> None:
    event = Event.objects.get(order_ref="a1")
    event.gross = 1
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()
