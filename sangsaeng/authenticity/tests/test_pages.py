"""The pages: public verification, passport JSON, my passports, the brand console, the operator page."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sangsaeng.authenticity import services
from sangsaeng.authenticity.models import Passport, Tag
from sangsaeng.authenticity.sun import sun_message
from sangsaeng.authenticity.verification import tag_keys_for

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_qr_page_shows_brand_product_history_and_sets_a_device_cookie(issued):
    passport, _ = issued
    response = _client().get(f"/authenticity/t/{passport.tags.get(kind='qr').code}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="authentic"' in html and "제주 옹기" in html and passport.serial in html
    assert "ssg_device" in response.cookies and response["Cache-Control"] == "no-store"


def test_an_unknown_tag_page_says_not_authentic(db):
    response = _client().get("/authenticity/t/nothing-here")
    assert response.status_code == 404 and "정품 확인 불가" in response.content.decode()
    response = _client().get("/authenticity/n/nothing-here?picc_data=00&cmac=00")
    assert response.status_code == 404


def test_the_nfc_page_shows_a_counterfeit_warning_on_replay(issued, alice, brand):
    passport, _ = issued
    made = services.brand_nfc_tags_create(actor=alice, slug=brand.slug, count=1)[0]
    services.tag_attach(actor=alice, slug=brand.slug, tag_code=made["code"], token_id=passport.token_id)
    meta, file = tag_keys_for(Tag.objects.select_related("brand").get(code=made["code"]))
    tap = sun_message(meta_read_key=meta, file_read_key=file, uid=bytes.fromhex("04AA0000000001"), counter=4)
    url = f"/authenticity/n/{made['code']}"
    assert 'data-verdict="authentic"' in _client().get(url, tap).content.decode()
    replay = _client().get(url, tap).content.decode()
    assert 'data-verdict="suspected_clone"' in replay and "정품 확인 불가" in replay


def test_passport_json_is_the_hashed_canonical_document(issued):
    passport, _ = issued
    response = _client().get(f"/authenticity/p/{passport.token_id}.json")
    assert hashlib.sha256(response.content).hexdigest() == passport.metadata_sha256
    assert response["Content-Type"] == "application/json"
    assert _client().get("/authenticity/p/9.json").status_code == 404


def test_a_wrong_passphrase_on_the_page_says_not_authentic(issued, bob):
    passport, _ = issued
    response = _client(bob).post(f"/authenticity/claim/{passport.token_id}", {"secret": "NOPE-NOPE"})
    assert response.status_code == 403 and "정품 확인 불가" in response.content.decode()
    response = _client(bob).post("/authenticity/claim", {"token_id": "abc", "secret": "x"})
    assert response.status_code == 403


def test_claim_then_manage_from_my_passports(issued, bob):
    passport, secret = issued
    client = _client(bob)
    assert client.post("/authenticity/claim", {"token_id": str(passport.token_id), "secret": secret}).status_code == 302
    assert passport.serial in client.get("/authenticity/").content.decode()
    client.post(f"/authenticity/mine/{passport.token_id}/report", {"state": "stolen"})
    client.post(f"/authenticity/mine/{passport.token_id}/consent", {"consent": "on"})
    passport.refresh_from_db()
    assert (passport.state, passport.owner_consent) == ("stolen", True)


def test_another_brands_console_and_labels_are_404(issued, bob):
    passport, _ = issued
    client = _client(bob)
    assert client.get("/authenticity/brands/jeju-onggi/").status_code == 404
    assert client.get(f"/authenticity/brands/jeju-onggi/label/{passport.token_id}").status_code == 404
    assert client.post("/authenticity/brands/jeju-onggi/tags", {"count": "2"}).status_code == 404
    assert client.post(f"/authenticity/brands/jeju-onggi/recover/{passport.token_id}").status_code == 404
    assert client.post("/authenticity/brands/jeju-onggi/batch").status_code == 404
    assert Tag.objects.filter(kind="nfc").count() == 0


def test_the_console_issues_from_a_csv_upload_and_lists_bad_rows(chain_ready, brand, alice):
    client = _client(alice)
    assert client.get(f"/authenticity/brands/{brand.slug}/").status_code == 200
    bad = SimpleUploadedFile("b.csv", b"serial,product_name,model,manufactured_on,manufactured_at\n,x,y,2026-01-01,z\n")
    response = client.post(f"/authenticity/brands/{brand.slug}/batch", {"file": bad})
    assert response.status_code == 422 and response.json()["errors"][0]["line"] == 2
    good = SimpleUploadedFile(
        "g.csv", b"serial,product_name,model,manufactured_on,manufactured_at\nW-1,x,y,2026-01-01,z\n"
    )
    response = client.post(f"/authenticity/brands/{brand.slug}/batch", {"file": good})
    assert response.status_code == 200 and response.json()["issued"] == 1
    page = client.get(f"/authenticity/brands/{brand.slug}/").content.decode()
    assert "W-1" in page and 'data-testid="issued"' in page
    assert Passport.objects.filter(serial="W-1").exists()


def test_only_operators_see_the_review_page_and_verify(db, alice, operator):
    services.brand_create(owner=alice, name="새 공방", slug="new-shop")
    assert _client(alice).get("/authenticity/operator/brands").status_code == 404
    client = _client(operator)
    assert "new-shop" in client.get("/authenticity/operator/brands").content.decode()
    client.post("/authenticity/operator/brands", {"slug": "new-shop", "verified": "1"})
    assert services.access_brand(actor=alice, slug="new-shop").is_verified


def test_the_label_has_a_qr_of_the_verify_url(issued, alice):
    passport, _ = issued
    code = passport.tags.get(kind="qr").code
    assert code in _client(alice).get(f"/authenticity/brands/jeju-onggi/label/{passport.token_id}").content.decode()
    svg = _client().get(f"/authenticity/t/{code}.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_an_nfc_claim_survives_signing_in(issued, alice, brand, bob):
    passport, _ = issued
    made = services.brand_nfc_tags_create(actor=alice, slug=brand.slug, count=1)[0]
    services.tag_attach(actor=alice, slug=brand.slug, tag_code=made["code"], token_id=passport.token_id)
    meta, file = tag_keys_for(Tag.objects.select_related("brand").get(code=made["code"]))
    tap = sun_message(meta_read_key=meta, file_read_key=file, uid=bytes.fromhex("04AA0000000002"), counter=1)
    html = _client().get(f"/authenticity/n/{made['code']}", tap).content.decode()
    assert f"next=%2Fauthenticity%2Fclaim%2F{passport.token_id}%3Fsun_token%3D" in html
    token = services.nfc_verify(
        code=made["code"],
        params=sun_message(meta_read_key=meta, file_read_key=file, uid=bytes.fromhex("04AA0000000002"), counter=2),
        device="d",
    ).claim_token
    client = _client(bob)
    form = client.get(f"/authenticity/claim/{passport.token_id}", {"sun_token": token}).content.decode()
    assert 'name="sun_token"' in form
    assert client.post(f"/authenticity/claim/{passport.token_id}", {"sun_token": token}).status_code == 302
    passport.refresh_from_db()
    assert passport.owner == bob
