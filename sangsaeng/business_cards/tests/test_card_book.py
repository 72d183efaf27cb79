"""The card book: saving received cards, notes, tags, search, export, owners' updates, access."""

from __future__ import annotations

import base64
import csv
import io
import json

import vobject

from sangsaeng.business_cards import services, sharing
from sangsaeng.business_cards.models import CardBookEntry


def test_a_card_saved_from_its_public_page_lands_in_the_book(client, card, bob):
    client.force_login(bob)
    response = client.post(f"/cards/p/{card.public_id}/save")
    entry = CardBookEntry.objects.get(holder=bob)
    assert response.url == f"/cards/book/{entry.public_id}/"
    assert "김앨리스" in client.get("/cards/book/").content.decode()
    client.post(f"/cards/p/{card.public_id}/save")
    assert CardBookEntry.objects.filter(holder=bob).count() == 1


def test_notes_tags_and_search(api_bob, card, bob):
    entry_id = api_bob.post("/api/v1/card-book", {"card_id": str(card.public_id)}).json()["id"]
    patched = api_bob.patch(
        f"/api/v1/card-book/{entry_id}", {"note": "판교 밋업에서 만남", "tags": ["밋업", "개발", "밋업"]}
    )
    assert patched.json()["tags"] == ["밋업", "개발"]
    assert [e["id"] for e in api_bob.get("/api/v1/card-book", {"q": "판교 밋업"}).json()] == [entry_id]
    assert [e["id"] for e in api_bob.get("/api/v1/card-book", {"q": "플랫폼"}).json()] == [entry_id]
    assert [e["id"] for e in api_bob.get("/api/v1/card-book", {"tag": "개발"}).json()] == [entry_id]
    assert api_bob.get("/api/v1/card-book", {"q": "없는말"}).json() == []
    assert api_bob.get("/api/v1/card-book", {"tag": "없는태그"}).json() == []


def test_hidden_fields_are_not_searchable(api_bob, card, verified_alice):
    api_bob.post("/api/v1/card-book", {"card_id": str(card.public_id)})
    services.card_update(actor=verified_alice, card_id=card.public_id, data={"visible_fields": ["company"]})
    assert api_bob.get("/api/v1/card-book", {"q": "2021-1117"}).json() == []


def test_holders_see_the_owners_update(client, card, bob, verified_alice):
    entry = services.book_add(holder=bob, card_id=card.public_id)
    services.card_update(actor=verified_alice, card_id=card.public_id, data={"title": "팀장"})
    client.force_login(bob)
    assert "업데이트됨" in client.get("/cards/book/").content.decode()
    page = client.get(f"/cards/book/{entry.public_id}/").content.decode()
    assert "팀장" in page and 'data-testid="updated"' in page
    assert "업데이트됨" not in client.get("/cards/book/").content.decode()


def test_a_signed_card_is_saved_after_its_signature_is_checked(api_bob, card):
    response = api_bob.post("/api/v1/card-book", {"sd_jwt": sharing.card_signed(card=card)})
    assert response.status_code == 201
    assert response.json()["badges"]["name_verified"] is True
    # a company name swapped inside its disclosure no longer matches the signed digest
    jwt, *disclosures, _ = sharing.card_signed(card=card).split("~")
    forged = [d for d in disclosures if "company" not in base64.urlsafe_b64decode(d + "==").decode()]
    fake = base64.urlsafe_b64encode(json.dumps(["c2FsdA", "company", "가짜 회사"]).encode()).decode().rstrip("=")
    bad = api_bob.post("/api/v1/card-book", {"sd_jwt": "~".join([jwt, *forged, fake, ""])})
    assert (bad.status_code, bad.json()["code"]) == (422, "tampered_disclosure")
    assert CardBookEntry.objects.count() == 1


def test_the_book_exports_vcard_and_csv(client, card, bob):
    entry = services.book_add(holder=bob, card_id=card.public_id)
    services.entry_update(actor=bob, entry_id=entry.public_id, note="판교 밋업, 다음 주 연락", tags=["밋업", "개발"])
    client.force_login(bob)
    cards = list(vobject.readComponents(client.get("/cards/book/export.vcf").content.decode()))
    assert [c.fn.value for c in cards] == ["김앨리스"]
    assert cards[0].note.value == "판교 밋업, 다음 주 연락"
    assert cards[0].categories.value == ["밋업", "개발"]
    text = client.get("/cards/book/export.csv").content.decode()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["name"] == "김앨리스" and rows[0]["company"] == "상생 주식회사" and rows[0]["name_verified"] == "yes"


def test_the_owner_can_not_save_their_own_card(api_alice, card):
    response = api_alice.post("/api/v1/card-book", {"card_id": str(card.public_id)})
    assert (response.status_code, response.json()["code"]) == (409, "own_card")


def test_another_user_gets_404_on_book_entries_and_nothing_changes(api_alice, api_bob, card, bob, alice, client):
    entry = services.book_add(holder=bob, card_id=card.public_id)
    services.entry_update(actor=bob, entry_id=entry.public_id, note="비밀 메모")
    assert api_alice.patch(f"/api/v1/card-book/{entry.public_id}", {"note": "x"}).status_code == 404
    assert api_alice.delete(f"/api/v1/card-book/{entry.public_id}").status_code == 404
    client.force_login(alice)
    assert client.get(f"/cards/book/{entry.public_id}/").status_code == 404
    assert client.post(f"/cards/book/{entry.public_id}/delete").status_code == 404
    assert "비밀 메모" not in client.get("/cards/book/export.csv").content.decode()
    entry.refresh_from_db()
    assert entry.note == "비밀 메모"


def test_the_card_book_speaks_english_too(client, bob):
    client.force_login(bob)
    page = client.get("/cards/book/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Card book" in page and "Export as vCard" in page
