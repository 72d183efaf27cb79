"""Cards: create and edit, the verified-name badge, the company badge by email code, access."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core import mail
from PIL import Image

from sangsaeng.business_cards import services
from sangsaeng.business_cards.models import Card
from sangsaeng.business_cards.tests.conftest import CARD
from sangsaeng.core.errors import Problem


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGBA", (8, 8), (250, 225, 0, 255)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def test_a_card_made_through_the_api_shows_the_verified_name_badge(api_alice, verified_alice):
    response = api_alice.post("/api/v1/cards", CARD)
    assert response.status_code == 201
    body = response.json()
    assert body["badges"] == {"name_verified": True, "company_domain": None}
    assert body["phones"] == CARD["phones"]
    assert body["public_url"] == f"http://127.0.0.1:8000/cards/p/{body['id']}/"


def test_a_name_that_differs_from_the_verified_one_gets_no_badge(api_alice, verified_alice):
    body = api_alice.post("/api/v1/cards", {**CARD, "name": "Alice Kim"}).json()
    assert body["badges"]["name_verified"] is False


def test_an_unverified_owner_gets_no_badge(api_bob):
    assert api_bob.post("/api/v1/cards", {**CARD, "name": "밥"}).json()["badges"]["name_verified"] is False


def _code() -> str:
    match = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert match is not None
    return match.group(1)


def test_the_company_badge_follows_a_code_mailed_to_the_company_domain(
    api_alice, card, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = api_alice.post(f"/api/v1/cards/{card.public_id}/company-email", {"email": "Alice@Sangsaeng.kr"})
    assert sent.status_code == 202
    assert mail.outbox[-1].to == ["alice@sangsaeng.kr"]
    code = _code()
    confirmed = api_alice.post(f"/api/v1/cards/{card.public_id}/company-email/confirm", {"code": code})
    assert confirmed.json()["badges"] == {"name_verified": True, "company_domain": "sangsaeng.kr"}
    # a reused code gets a clear error
    reused = api_alice.post(f"/api/v1/cards/{card.public_id}/company-email/confirm", {"code": code})
    assert (reused.status_code, reused.json()["code"]) == (409, "code_used")
    # renaming the company drops the badge
    renamed = api_alice.patch(f"/api/v1/cards/{card.public_id}", {"company": "다른 회사"})
    assert renamed.json()["badges"]["company_domain"] is None


def test_a_free_mail_address_earns_no_company_badge(api_alice, card):
    response = api_alice.post(f"/api/v1/cards/{card.public_id}/company-email", {"email": "alice@naver.com"})
    assert (response.status_code, response.json()["code"]) == (422, "free_mail_domain")
    assert mail.outbox == []


def test_a_wrong_company_code_is_refused(card, verified_alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.company_code_send(actor=verified_alice, card_id=card.public_id, email="alice@sangsaeng.kr")
    wrong = "000000" if _code() != "000000" else "111111"
    with pytest.raises(Problem) as refused:
        services.company_code_confirm(actor=verified_alice, card_id=card.public_id, code=wrong)
    assert refused.value.code == "code_wrong"
    card.refresh_from_db()
    assert card.company_domain == ""


def test_an_oversized_or_unknown_photo_is_refused(verified_alice, settings):
    settings.CARDS_PHOTO_MAX_BYTES = 100
    with pytest.raises(Problem) as big:
        services.card_create(owner=verified_alice, data=dict(CARD), photo=PNG + b"\x00" * 100)
    assert (big.value.code, big.value.status) == ("photo_too_large", 413)
    with pytest.raises(Problem) as odd:
        services.card_create(owner=verified_alice, data=dict(CARD), photo=b"GIF89a....")
    assert odd.value.code == "photo_type_unsupported"
    with pytest.raises(Problem) as fake:  # the PNG signature alone is not a photo
        services.card_create(owner=verified_alice, data=dict(CARD), photo=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert fake.value.code == "photo_type_unsupported"
    assert not Card.objects.exists()


def test_bad_fields_are_refused_with_the_field_named(api_alice, verified_alice):
    for patch, field in (
        ({"website": "javascript:alert(1)"}, "website"),
        ({"phones": ["call me"]}, "phones"),
        ({"theme": "neon"}, "theme"),
        ({"visible_fields": ["password"]}, "visible_fields"),
        ({"name": " "}, "name"),
    ):
        response = api_alice.post("/api/v1/cards", {**CARD, **patch})
        assert (response.status_code, response.json()["field"]) == (422, field), patch


def test_another_user_gets_404_on_every_card_endpoint_and_nothing_changes(api_bob, bob, card, client):
    base = f"/api/v1/cards/{card.public_id}"
    assert api_bob.get(base).status_code == 404
    assert api_bob.patch(base, {"name": "탈취"}).status_code == 404
    assert api_bob.delete(base).status_code == 404
    assert api_bob.get(f"{base}/share").status_code == 404
    assert api_bob.post(f"{base}/company-email", {"email": "bob@evil.example"}).status_code == 404
    assert api_bob.post(f"{base}/company-email/confirm", {"code": "123456"}).status_code == 404
    client.force_login(bob)
    assert client.get(f"/cards/{card.public_id}/").status_code == 404
    assert client.post(f"/cards/{card.public_id}/", {"name": "탈취", "theme": "mint"}).status_code == 404
    assert client.post(f"/cards/{card.public_id}/delete").status_code == 404
    assert client.post(f"/cards/{card.public_id}/company", {"company_email": "b@evil.example"}).status_code == 404
    card.refresh_from_db()
    assert (card.name, card.company_domain) == ("김앨리스", "")
    assert card.company_codes.count() == 0


def test_the_card_pages_create_and_edit(client, verified_alice):
    client.force_login(verified_alice)
    assert client.get("/cards/new/").status_code == 200
    response = client.post(
        "/cards/new/",
        {
            "name": "김앨리스",
            "company": "상생 주식회사",
            "phones": "010-2021-1117, 02-123-4567",
            "theme": "coral",
            "shown_fields": ["company", "phones"],
        },
    )
    assert response.status_code == 302
    card = Card.objects.get()
    assert (card.phones, card.theme, card.visible_fields) == (
        ["010-2021-1117", "02-123-4567"],
        "coral",
        ["company", "phones"],
    )
    page = client.get(f"/cards/{card.public_id}/").content.decode()
    assert "실명 확인" in page and f"/cards/p/{card.public_id}/qr.svg" in page
    assert "상생 주식회사" in client.get("/cards/").content.decode()


def test_a_photo_uploads_through_the_api_and_shows_only_when_visible(api_alice, api_bob, card, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import MULTIPART_CONTENT

    url = f"/api/v1/cards/{card.public_id}/photo"
    upload = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    assert api_bob.post(url, {"photo": upload}, content_type=MULTIPART_CONTENT).status_code == 404
    upload.seek(0)
    assert api_alice.post(url, {"photo": upload}, content_type=MULTIPART_CONTENT).status_code == 200
    photo = client.get(f"/cards/p/{card.public_id}/photo")
    assert photo["Content-Type"] == "image/png"
    assert Image.open(BytesIO(photo.content)).size == (8, 8)  # re-encoded, same picture
    assert f"/cards/p/{card.public_id}/photo" in client.get(f"/cards/p/{card.public_id}/").content.decode()
    api_alice.patch(f"/api/v1/cards/{card.public_id}", {"visible_fields": ["company"]})
    assert client.get(f"/cards/p/{card.public_id}/photo").status_code == 404
    settings.CARDS_PHOTO_MAX_BYTES = 10
    big = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    refused = api_alice.post(url, {"photo": big}, content_type=MULTIPART_CONTENT)
    assert (refused.status_code, refused.json()["code"]) == (413, "photo_too_large")
