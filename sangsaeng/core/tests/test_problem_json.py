"""Bad input to the API gets a 4xx problem+json with a stable code, never a 500."""

import pytest
from django.test import override_settings

from sangsaeng.accounts.models import Address

pytestmark = pytest.mark.django_db

VALID = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "zone_number": "04524",
    "receiver_name": "앨리스",
    "receiver_phone_number1": "010-1234-5678",
}


def _problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["message_ko"] and body["message_en"]
    return body


def test_malformed_json_is_a_problem(api_alice):
    response = api_alice.post("/api/v1/addresses", data="{not json", content_type="application/json")
    _problem(response, 400, "malformed_json")
    assert Address.objects.count() == 0


def test_deep_json_is_refused(api_alice):
    deep = "[" * 5000 + "]" * 5000
    response = api_alice.post("/api/v1/addresses", data=deep, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] in {"malformed_json", "json_too_deep"}


def test_unknown_field_is_refused(api_alice):
    response = api_alice.post("/api/v1/addresses", data={**VALID, "admin": True})
    body = _problem(response, 422, "unknown_field")
    assert body["field"] == "admin"
    assert Address.objects.count() == 0


def test_wrong_type_names_the_field(api_alice):
    response = api_alice.post("/api/v1/addresses", data={**VALID, "is_default": {"a": 1}})
    body = _problem(response, 422, "invalid_field")
    assert body["field"] == "is_default"


def test_missing_field_names_the_field(api_alice):
    data = dict(VALID)
    del data["zone_number"]
    body = _problem(api_alice.post("/api/v1/addresses", data=data), 422, "missing_field")
    assert body["field"] == "zone_number"


@override_settings(API_MAX_BODY_BYTES=1000)
def test_body_over_the_limit_is_413(api_alice):
    response = api_alice.post("/api/v1/addresses", data={**VALID, "detail_address": "가" * 2000})
    _problem(response, 413, "body_too_large")
    assert Address.objects.count() == 0


def test_bad_token_is_401(alice):
    from conftest import ApiClient

    response = ApiClient("ssg_0000_nope").get("/api/v1/me")
    _problem(response, 401, "invalid_token")


def test_non_bearer_authorization_is_401(alice):
    from conftest import ApiClient

    client = ApiClient()
    response = client.get("/api/v1/me", headers={"Authorization": "Basic YTpi"})
    _problem(response, 401, "invalid_token")


def test_expired_token_is_401(alice):
    from datetime import timedelta

    from django.utils import timezone

    from conftest import ApiClient
    from sangsaeng.accounts.services import token_create

    token, secret = token_create(user=alice, label="old", expires_in_days=1)
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save(update_fields=["expires_at"])
    _problem(ApiClient(secret).get("/api/v1/me"), 401, "invalid_token")


def test_revoked_token_is_401(alice):
    from conftest import ApiClient
    from sangsaeng.accounts.services import token_create, token_revoke

    token, secret = token_create(user=alice, label="x")
    token_revoke(actor=alice, token_id=token.public_id)
    _problem(ApiClient(secret).get("/api/v1/me"), 401, "invalid_token")


def test_no_credentials_is_401(anon_api):
    _problem(anon_api.get("/api/v1/me"), 401, "unauthenticated")


def test_unknown_api_path_is_a_404_problem(api_alice):
    _problem(api_alice.get("/api/v1/nothing-here"), 404, "not_found")


def test_bad_uuid_in_path_is_4xx(api_alice):
    response = api_alice.get("/api/v1/addresses/not-a-uuid")
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


def test_session_post_without_csrf_is_refused(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/api/v1/addresses", data=VALID, content_type="application/json")
    assert response.status_code == 403
    assert Address.objects.count() == 0


def test_problem_title_follows_the_language(api_alice):
    ko = api_alice.get("/api/v1/nothing", headers={"Accept-Language": "ko"}).json()
    en = api_alice.get("/api/v1/nothing", headers={"Accept-Language": "en"}).json()
    assert ko["title"] == "찾을 수 없습니다."
    assert en["title"].startswith("The ")


def test_a_nul_character_is_refused_before_it_reaches_the_database(api_alice):
    # found by schemathesis on PostgreSQL, whose text type can't hold NUL
    response = api_alice.post("/api/v1/tokens", data={"label": " \u0000\u9c11"})
    _problem(response, 400, "nul_character")
    response = api_alice.post("/api/v1/addresses", data={**VALID, "name\u0000": "x"})
    _problem(response, 400, "nul_character")


def test_extra_members_never_replace_the_problems_own():
    from sangsaeng.core.errors import Problem

    with pytest.raises(ValueError, match="status"):
        Problem(code="invalid_order_state", status=409, ko="가", en="a", extra={"status": "shipped"})
    kept = Problem(code="invalid_order_state", status=409, ko="가", en="a", extra={"order_status": "shipped"})
    assert (kept.body()["status"], kept.body()["order_status"]) == (409, "shipped")
