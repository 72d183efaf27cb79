"""Drops pages: they render in Korean and English, and other people's things are 404."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD
from sangsaeng.drops import services
from sangsaeng.drops.models import CreatorProfile, Listing

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.email, password=PASSWORD)
    return client


def test_the_drop_page_shows_price_and_buy_and_buying_lands_on_the_edition(fixed_drop, funded_alice):
    client = _client(funded_alice)
    page = client.get(f"/drops/d/{fixed_drop.public_id}/")
    assert page.status_code == 200
    assert 'data-testid="buy"' in page.content.decode()
    bought = client.post(f"/drops/d/{fixed_drop.public_id}/buy", {"key": "page-1"})
    assert bought.status_code == 302 and "/drops/e/" in bought["Location"]
    assert client.get(bought["Location"]).status_code == 200
    assert "제주의 새벽" in client.get("/drops/me/").content.decode()


def test_pages_in_english(fixed_drop, alice):
    client = _client(alice)
    client.cookies["django_language"] = "en"
    page = client.get("/drops/", HTTP_ACCEPT_LANGUAGE="en")
    assert "On sale now" in page.content.decode()


def test_the_curation_queue_is_for_operators_only(alice, operator):
    services.creator_apply(user=alice, display_name="앨리스", portfolio_url="https://a.example")
    assert _client(alice).get("/drops/curation/").status_code == 404
    page = _client(operator).get("/drops/curation/")
    assert page.status_code == 200 and "앨리스" in page.content.decode()
    profile = CreatorProfile.objects.get(user=alice)
    refused = _client(alice).post("/drops/curation/", {"creator": str(profile.public_id), "decision": "approve"})
    assert refused.status_code == 404
    assert CreatorProfile.objects.get(pk=profile.pk).status == "pending"


def test_the_original_is_for_owners_and_the_creator(fixed_drop, funded_alice, funded_bob, creator):
    services.edition_purchase(buyer=funded_alice, drop_id=fixed_drop.public_id, idempotency_key="k")
    url = f"/drops/artworks/{fixed_drop.artwork.public_id}/original"
    assert _client(funded_alice).get(url).status_code == 200
    assert _client(creator).get(url).status_code == 200
    assert _client(funded_bob).get(url).status_code == 404
    assert Client().get(f"/drops/artworks/{fixed_drop.artwork.public_id}/preview").status_code == 200


def test_another_users_edition_actions_are_404(fixed_drop, funded_alice, funded_bob):
    edition = services.edition_purchase(buyer=funded_alice, drop_id=fixed_drop.public_id, idempotency_key="k")
    bob = _client(funded_bob)
    assert bob.post(f"/drops/e/{edition.public_id}/list", {"price": "50000"}).status_code == 404
    assert bob.post(f"/drops/e/{edition.public_id}/withdraw").status_code == 404
    listing = Listing.objects.create(edition=edition, seller=funded_alice, price=20_000)
    assert bob.post(f"/drops/l/{listing.public_id}/cancel").status_code == 404
    assert Listing.objects.get(pk=listing.pk).status == "active"


def test_studio_apply_then_pending(alice):
    client = _client(alice)
    client.post("/drops/studio/", {"action": "apply", "display_name": "앨리스", "portfolio_url": "https://a.example"})
    assert CreatorProfile.objects.get(user=alice).status == "pending"
    assert "검토" in client.get("/drops/studio/").content.decode()
