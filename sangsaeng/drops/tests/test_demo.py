"""`sangsaeng demo`: an approved creator with artworks, a drop about to open, an open drop and an
auction with a bid; running it twice adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command

from sangsaeng.drops import selectors
from sangsaeng.drops.models import CreatorProfile


def test_the_demo_has_a_countdown_an_open_drop_and_an_auction(db, client):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    (creator,) = CreatorProfile.objects.all()
    assert creator.status == "approved"
    assert len(selectors.creator_artworks(creator=creator)) == 3
    states = {(d.format, selectors.drop_state(d)) for d in selectors.drop_list()}
    assert states == {("fixed", "upcoming"), ("fixed", "open"), ("english", "open")}
    auction = next(d for d in selectors.drop_list() if d.format == "english")
    assert selectors.drop_summary(auction)["leading_bid"] == 300_000
    page = client.get("/drops/")
    assert page.status_code == 200
    assert "물빛 #1" in page.content.decode() and 'class="countdown"' in page.content.decode()
    preview = client.get(f"/drops/artworks/{auction.artwork.public_id}/preview")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/webp"
