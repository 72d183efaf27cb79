"""The /api/v1/drops endpoints: success, bad input as problem+json, and other users' objects as 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test.client import MULTIPART_CONTENT
from django.utils import timezone

from conftest import ApiClient
from sangsaeng.accounts.services import token_create
from sangsaeng.drops import pay, services
from sangsaeng.drops.models import CreatorProfile, Edition, Listing
from sangsaeng.drops.tests.conftest import FUNDS, fund, png

pytestmark = pytest.mark.django_db


def _api(user):
    return ApiClient(token_create(user=user, label="t")[1])


def test_buying_through_the_api_needs_an_idempotency_key_and_replays(fixed_drop, funded_alice):
    api = _api(funded_alice)
    url = f"/api/v1/drops/{fixed_drop.public_id}/purchase"
    missing = api.post(url)
    assert missing.status_code == 422 and missing.json()["field"] == "Idempotency-Key"
    first = api.post(url, headers={"Idempotency-Key": "buy-1"})
    again = api.post(url, headers={"Idempotency-Key": "buy-1"})
    assert first.status_code == 201 and first.json()["number"] == 1
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert pay.balance(user=funded_alice) == FUNDS - 10_000
    mine = api.get("/api/v1/drops/collection").json()
    assert [e["id"] for e in mine] == [first.json()["id"]]


def test_a_drop_reads_with_its_state(fixed_drop, alice):
    body = _api(alice).get(f"/api/v1/drops/{fixed_drop.public_id}").json()
    assert (body["state"], body["price"], body["remaining"]) == ("open", 10_000, 5)


def test_over_limit_through_the_api_is_a_problem(fixed_drop, funded_alice):
    api = _api(funded_alice)
    api.post(f"/api/v1/drops/{fixed_drop.public_id}/purchase", headers={"Idempotency-Key": "1"})
    second = api.post(f"/api/v1/drops/{fixed_drop.public_id}/purchase", headers={"Idempotency-Key": "2"})
    assert second.status_code == 409
    assert second["Content-Type"] == "application/problem+json"
    assert second.json()["code"] == "over_limit"
    assert pay.balance(user=funded_alice) == FUNDS - 10_000


def test_bid_below_increment_through_the_api(creator, artwork, funded_alice):
    drop = services.drop_create(
        actor=creator,
        artwork_id=artwork.public_id,
        data={
            "format": "english",
            "opens_at": timezone.now() - timedelta(minutes=1),
            "closes_at": timezone.now() + timedelta(hours=1),
            "reserve_price": 10_000,
            "min_increment": 5_000,
        },
    )
    api = _api(funded_alice)
    low = api.post(f"/api/v1/drops/{drop.public_id}/bids", {"amount": 9_000}, headers={"Idempotency-Key": "b1"})
    assert low.status_code == 422 and low.json()["code"] == "bid_too_low" and low.json()["minimum"] == 10_000
    ok = api.post(f"/api/v1/drops/{drop.public_id}/bids", {"amount": 10_000}, headers={"Idempotency-Key": "b2"})
    assert ok.status_code == 201 and ok.json()["status"] == "leading"
    assert pay.balance(user=funded_alice) == FUNDS - 10_000


def test_apply_review_upload_and_schedule(alice, operator):
    api = _api(alice)
    applied = api.post("/api/v1/drops/creators/apply", {"display_name": "앨리스", "portfolio_url": "https://a.example"})
    assert applied.status_code == 201 and applied.json()["status"] == "pending"
    # not approved yet: uploads are refused
    early = api.post("/api/v1/drops/artworks", {"title": "x", "file": png()}, content_type=MULTIPART_CONTENT)
    assert early.status_code == 403 and early.json()["code"] == "not_an_approved_creator"
    # alice can't review herself; the operator can
    assert api.post(f"/api/v1/drops/creators/{applied.json()['id']}/review", {"approve": True}).status_code == 404
    assert api.get("/api/v1/drops/creators/applications").status_code == 404
    reviewed = _api(operator).post(f"/api/v1/drops/creators/{applied.json()['id']}/review", {"approve": True})
    assert reviewed.json()["status"] == "approved"
    up = api.post("/api/v1/drops/artworks", {"title": "파도", "file": png()}, content_type=MULTIPART_CONTENT)
    assert up.status_code == 201, up.content
    assert up.json()["preview_kind"] == "image"
    drop = api.post(
        f"/api/v1/drops/artworks/{up.json()['id']}/drops",
        {
            "format": "fixed",
            "opens_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "price": 30_000,
            "edition_size": 50,
            "per_user_limit": 2,
        },
    )
    assert drop.status_code == 201 and drop.json()["state"] == "upcoming"


def test_declining_needs_a_reason(alice, operator):
    profile = services.creator_apply(user=alice, display_name="앨리스", portfolio_url="https://a.example")
    bad = _api(operator).post(f"/api/v1/drops/creators/{profile.public_id}/review", {"approve": False})
    assert bad.status_code == 422 and bad.json()["field"] == "reason"
    assert CreatorProfile.objects.get(pk=profile.pk).status == "pending"


def test_another_users_edition_and_listing_are_404(fixed_drop, funded_alice, funded_bob):
    # given alice owns an edition and bob does not
    edition = services.edition_purchase(buyer=funded_alice, drop_id=fixed_drop.public_id, idempotency_key="k")
    bob = _api(funded_bob)
    # then bob can't read, list or withdraw it
    assert bob.get(f"/api/v1/drops/editions/{edition.public_id}").status_code == 404
    listed = bob.post(f"/api/v1/drops/editions/{edition.public_id}/listings", {"price": 50_000})
    assert listed.status_code == 404 and listed.json()["code"] == "not_found"
    assert (
        bob.post(f"/api/v1/drops/editions/{edition.public_id}/withdraw", headers={"Idempotency-Key": "w"}).status_code
        == 404
    )
    assert bob.get("/api/v1/drops/collection").json() == []
    assert Listing.objects.count() == 0
    assert Edition.objects.get(pk=edition.pk).status == "held"


def test_another_users_listing_cannot_be_cancelled(db, funded_alice, funded_bob, fixed_drop):
    edition = services.edition_purchase(buyer=funded_alice, drop_id=fixed_drop.public_id, idempotency_key="k")
    listing = Listing.objects.create(edition=edition, seller=funded_alice, price=20_000)
    response = _api(funded_bob).post(f"/api/v1/drops/listings/{listing.public_id}/cancel")
    assert response.status_code == 404
    assert Listing.objects.get(pk=listing.pk).status == "active"


def test_another_users_drop_artwork_is_404_to_schedule(creator, artwork, alice, operator):
    profile = services.creator_apply(user=alice, display_name="앨리스", portfolio_url="https://a.example")
    services.creator_review(operator=operator, creator_id=profile.public_id, approve=True)
    response = _api(alice).post(
        f"/api/v1/drops/artworks/{artwork.public_id}/drops",
        {"format": "fixed", "opens_at": timezone.now().isoformat(), "price": 1000, "edition_size": 1},
    )
    assert response.status_code == 404


def test_unfunded_purchase_is_409_insufficient_funds(fixed_drop, bob):
    response = _api(bob).post(f"/api/v1/drops/{fixed_drop.public_id}/purchase", headers={"Idempotency-Key": "k"})
    assert response.status_code == 409 and response.json()["code"] == "insufficient_funds"
    fixed_drop.refresh_from_db()
    assert fixed_drop.sold == 0 and Edition.objects.count() == 0


def test_fund_helper_is_play_money_only(bob):
    fund(bob, 1000)
    assert pay.balance(user=bob) == 1000
