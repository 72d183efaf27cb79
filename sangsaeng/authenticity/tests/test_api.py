"""The /api/v1/authenticity endpoints: public verification, bad input and other users' objects."""

from __future__ import annotations

import pytest

from sangsaeng.authenticity import services
from sangsaeng.authenticity.models import Tag
from sangsaeng.authenticity.sun import sun_message
from sangsaeng.authenticity.tests.conftest import ROW
from sangsaeng.authenticity.verification import tag_keys_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/authenticity"


def test_public_verification_needs_no_account(issued, anon_api):
    passport, _ = issued
    code = passport.tags.get(kind="qr").code
    body = anon_api.get(f"{BASE}/verify/qr/{code}").json()
    assert (body["verdict"], body["authentic"]) == ("authentic", True)
    assert body["passport"]["serial"] == ROW["serial"] and body["passport"]["registered"] is False
    assert body["passport"]["brand"] == {"name": "제주 옹기", "slug": "jeju-onggi", "verified": True}
    assert anon_api.get(f"{BASE}/passports/{passport.token_id}").json()["product"]["model"] == "MOON-L"


def test_a_forged_nfc_read_says_not_authentic(issued, alice, brand, anon_api):
    made = services.brand_nfc_tags_create(actor=alice, slug=brand.slug, count=1)[0]
    body = anon_api.get(f"{BASE}/verify/nfc/{made['code']}?picc_data=EF963FF7828658A599F3041510671E88&cmac=ZZ").json()
    assert (body["verdict"], body["message_en"], body["message_ko"]) == ("unknown", "Not authentic", "정품 확인 불가")


def test_claim_with_a_fresh_nfc_read_through_the_api(issued, alice, brand, anon_api, api_bob):
    passport, _ = issued
    made = services.brand_nfc_tags_create(actor=alice, slug=brand.slug, count=1)[0]
    services.tag_attach(actor=alice, slug=brand.slug, tag_code=made["code"], token_id=passport.token_id)
    meta, file = tag_keys_for(Tag.objects.select_related("brand").get(code=made["code"]))
    tap = sun_message(meta_read_key=meta, file_read_key=file, uid=bytes.fromhex("04112233445566"), counter=1)
    body = anon_api.get(f"{BASE}/verify/nfc/{made['code']}", tap).json()
    assert body["verdict"] == "authentic"
    claimed = api_bob.post(f"{BASE}/passports/{passport.token_id}/claim", {"sun_token": body["claim_token"]})
    assert claimed.status_code == 200 and claimed.json()["serial"] == ROW["serial"]
    assert [p["token_id"] for p in api_bob.get(f"{BASE}/my/passports").json()] == [passport.token_id]


@pytest.mark.parametrize(
    "path, payload, status, code",
    [
        ("/passports/{id}/claim", {"secret": "WRONG-WRONG"}, 403, "not_authentic"),
        ("/passports/999/claim", {"secret": "AAAA"}, 403, "not_authentic"),
        ("/passports/{id}/claim", {"secret": "x", "bogus": 1}, 422, "unknown_field"),
        ("/my/passports/{id}/report", {"state": "stolen"}, 404, "not_found"),
        ("/my/passports/{id}/transfer", {"email": "a@b.c", "address": "0x0"}, 422, "one_recipient"),
        ("/brands/jeju-onggi/passports", dict(ROW, materials=[], images=[], warranty_months=1), 404, "not_found"),
        ("/brands/jeju-onggi/tags", {"count": 2}, 404, "not_found"),
        ("/brands/jeju-onggi/passports/{id}/recover", {}, 404, "not_found"),
        ("/operator/brands/jeju-onggi/verify", {"verified": False}, 404, "not_found"),
    ],
)
def test_bad_input_and_other_users_get_clear_answers(issued, api_bob, path, payload, status, code):
    passport, _ = issued
    response = api_bob.post(BASE + path.format(id=passport.token_id), payload)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


@pytest.mark.parametrize("path", ["/passports/0", "/passports/99999999999999999999999", "/verify/qr/zz"])
def test_unknown_ids_are_never_a_server_error(db, anon_api, path):
    response = anon_api.get(BASE + path)
    assert response.status_code in (200, 404, 422)
    if path.startswith("/verify"):
        assert response.json()["verdict"] == "unknown"


def test_a_brand_member_sees_only_their_brands_objects(issued, api_alice, api_bob, bob):
    other = services.brand_create(owner=bob, name="밥의 공방", slug="bobs")
    assert api_bob.get(f"{BASE}/brands/jeju-onggi/passports").status_code == 404
    assert api_bob.get(f"{BASE}/brands/jeju-onggi/customers").status_code == 404
    assert api_alice.get(f"{BASE}/brands/{other.slug}/passports").status_code == 404
    assert [b["slug"] for b in api_bob.get(f"{BASE}/brands").json()] == ["bobs"]


def test_issue_over_the_api_returns_the_passphrase_once(chain_ready, brand, api_alice):
    payload = dict(ROW, serial="API-1", materials=["흙"], images=[], warranty_months=6)
    response = api_alice.post(f"{BASE}/brands/{brand.slug}/passports", payload)
    assert response.status_code == 201, response.content
    assert len(response.json()["claim_secret"]) == 19
    again = api_alice.post(f"{BASE}/brands/{brand.slug}/passports", payload)
    assert (again.status_code, again.json()["code"]) == (422, "invalid_passport")


def test_operator_verifies_a_brand(db, api_alice, operator):
    from conftest import ApiClient
    from sangsaeng.accounts.services import token_create

    made = api_alice.post(f"{BASE}/brands", {"name": "새 브랜드", "slug": "new-brand"}).json()
    assert made["verified"] is False
    _token, secret = token_create(user=operator, label="ops")
    verified = ApiClient(secret).post(f"{BASE}/operator/brands/new-brand/verify", {"verified": True}).json()
    assert verified["verified"] is True
    assert api_alice.post(f"{BASE}/brands", {"name": "dup", "slug": "new-brand"}).json()["code"] == "slug_taken"
