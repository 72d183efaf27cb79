"""Bad date ranges, unknown metrics, huge ranges; beacon floods and malformed beacons."""

from __future__ import annotations

import json

import pytest

from sangsaeng.insights import services
from sangsaeng.insights.models import BeaconDrop, Event
from sangsaeng.insights.tests.conftest import PARTNER_A

pytestmark = pytest.mark.django_db

BASE = f"/api/v1/insights/partners/{PARTNER_A}"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("start=2026-13-01&end=2026-11-02", "range_invalid"),
        ("start=yesterday", "range_invalid"),
        ("start=2026-11-05&end=2026-11-01", "range_invalid"),
        ("start=1999-01-01&end=1999-01-02", "range_invalid"),
        ("start=2099-01-01&end=2099-01-02", "range_invalid"),
        ("start=2020-01-01&end=2026-11-01", "range_too_large"),
    ],
)
def test_bad_ranges(staff, api_alice, query, code) -> None:
    response = api_alice.get(f"{BASE}/dashboard?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_unknown_metric(staff, api_alice) -> None:
    response = api_alice.get(f"{BASE}/metrics/lifetime_value")
    assert response.status_code == 404
    assert response.json()["code"] == "metric_unknown"


def test_unknown_segment_and_format(staff, api_alice) -> None:
    client = api_alice
    assert client.get(f"{BASE}/customers?segment=whales").json()["code"] == "segment_unknown"
    assert client.get(f"{BASE}/export?format=xlsx").json()["code"] == "format_unknown"


def beacon(client, body: bytes | str, ip: str = "10.0.0.1"):
    return client.post("/api/v1/insights/beacon", data=body, content_type="application/json", REMOTE_ADDR=ip)


def test_good_beacon_is_stored_as_a_page_view(staff, client) -> None:
    response = beacon(client, json.dumps({"partner": PARTNER_A, "path": "/store/", "session": "abcdef123456"}))
    assert response.status_code == 204
    event = Event.objects.get()
    assert (event.name, event.partner_ref, event.path, event.source) == ("page_view", PARTNER_A, "/store/", "beacon")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not_json"),
        ("[1, 2]", "not_object"),
        (json.dumps({"partner": PARTNER_A, "path": "/", "session": "abcdef123456", "evil": 1}), "unknown_field"),
        (json.dumps({"partner": 7, "path": "/", "session": "abcdef123456"}), "wrong_type"),
        (json.dumps({"partner": "x' OR 1=1 --", "path": "/", "session": "abcdef123456"}), "bad_partner"),
        (json.dumps({"partner": "test:unknown", "path": "/", "session": "abcdef123456"}), "unknown_partner"),
        (json.dumps({"partner": PARTNER_A, "path": "javascript:alert(1)", "session": "abcdef123456"}), "bad_path"),
        (json.dumps({"partner": PARTNER_A, "path": "/", "session": "short"}), "bad_session"),
        (json.dumps({"partner": PARTNER_A, "path": "/", "session": "abcdef123456", "ts": 5}), "bad_time"),
        ("x" * 5000, "too_large"),
    ],
)
def test_malformed_beacons_are_dropped_and_counted(staff, client, body, reason) -> None:
    response = beacon(client, body)
    assert response.status_code == 400
    assert response.json()["code"] == "beacon_malformed"
    assert Event.objects.count() == 0
    assert BeaconDrop.objects.get(reason=reason).count == 1


def test_beacon_flood_is_rate_limited(staff, client) -> None:
    body = json.dumps({"partner": PARTNER_A, "path": "/", "session": "abcdef123456"})
    codes = [beacon(client, body, ip="10.9.9.9").status_code for _ in range(130)]
    assert codes.count(204) == 120 and codes[-1] == 429
    assert Event.objects.count() == 120
    assert BeaconDrop.objects.get(reason="rate_limited").count == 10
    assert beacon(client, body, ip="10.9.9.10").status_code == 204  # other visitors are unaffected


def test_bad_server_events_are_refused_whole(staff) -> None:
    good = services.EventIn(name="page_view", partner_ref=PARTNER_A, session_id="k_123456789")
    with pytest.raises(services.Problem) as info:
        services.events_record([good, services.EventIn(name="order_paid", partner_ref=PARTNER_A, gross=-5)])
    assert info.value.code == "event_invalid"
    with pytest.raises(services.Problem):
        services.events_record([services.EventIn(name="teleport", partner_ref=PARTNER_A)])
    assert Event.objects.count() == 0
