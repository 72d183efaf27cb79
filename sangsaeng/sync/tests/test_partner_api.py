import pytest
from django.test import Client

from sangsaeng.accounts.services import address_create
from sangsaeng.sync.models import TermAgreement

from .conftest import make_shop, sign_in

pytestmark = pytest.mark.django_db

HOME = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "detail_address": "3층",
    "zone_number": "04524",
    "receiver_name": "앨리스",
    "receiver_phone_number1": "010-1234-5678",
}


def _bearer(body):
    return {"HTTP_AUTHORIZATION": f"Bearer {body['access_token']}"}


def test_shipping_addresses_and_the_default(client, alice, shop):
    address_create(user=alice, data=HOME, is_default=True)
    address_create(user=alice, data={**HOME, "name": "회사", "type": "OLD"})
    body = sign_in(client, alice, shop)
    listed = Client().get("/oauth/v1/user/shipping_addresses", **_bearer(body)).json()
    assert [a["name"] for a in listed["shipping_addresses"]] == ["집", "회사"]
    first = listed["shipping_addresses"][0]
    assert set(first) >= {
        "id",
        "name",
        "is_default",
        "type",
        "base_address",
        "detail_address",
        "receiver_name",
        "receiver_phone_number1",
        "receiver_phone_number2",
        "zone_number",
    }
    default = Client().get("/oauth/v1/user/shipping_addresses/default", **_bearer(body)).json()
    assert default["shipping_address"]["zone_number"] == "04524"
    assert default["shipping_address"]["is_default"] is True
    assert default["user_id"] == listed["user_id"]


def test_a_token_without_the_scope_reads_no_address(client, alice, shop):
    address_create(user=alice, data=HOME, is_default=True)
    body = sign_in(client, alice, shop, scope="openid profile email", items=("profile", "email"))
    response = Client().get("/oauth/v1/user/shipping_addresses", **_bearer(body))
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"


def test_scope_without_consent_yields_no_claim_and_no_address(client, alice, shop):
    address_create(user=alice, data=HOME, is_default=True)
    body = sign_in(client, alice, shop, items=("profile", "email"))  # shipping_address declined
    assert Client().get("/oauth/v1/user/shipping_addresses/default", **_bearer(body)).status_code == 403


def test_phone_scope_without_consent_has_no_phone_claim(client, alice, bob):
    from sangsaeng.accounts.services import user_update_profile

    user_update_profile(user=alice, display_name="앨리스", phone="010-1111-2222")
    shop = make_shop(bob, name="폰가게", redirect="https://phone.example/cb")
    body = sign_in(client, alice, shop, scope="openid profile email phone", items=("profile", "email"))
    info = Client().get("/oauth/userinfo/", **_bearer(body)).json()
    assert "phone_number" not in info
    assert info["phone_needs_agreement"] is True
    # when the user agrees later (incremental consent), the claim appears
    body = sign_in(
        client, alice, shop, scope="openid profile email phone", items=("profile", "email", "phone"), prompt="consent"
    )
    assert Client().get("/oauth/userinfo/", **_bearer(body)).json()["phone_number"] == "010-1111-2222"


def test_bad_and_missing_tokens_are_bearer_errors(anon_api):
    assert Client().get("/oauth/v1/user/shipping_addresses").status_code == 401
    response = Client().get("/oauth/v1/user/service_terms", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_service_terms_with_times_and_revoking_a_revocable_one(client, alice, shop):
    body = sign_in(client, alice, shop, terms=("tos", "marketing"))
    terms = {t["tag"]: t for t in Client().get("/oauth/v1/user/service_terms", **_bearer(body)).json()["service_terms"]}
    assert terms["tos"]["agreed"] is True and terms["tos"]["required"] is True and terms["tos"]["agreed_at"]
    assert terms["marketing"]["revocable"] is True
    # when
    response = Client().post("/oauth/v1/user/service_terms/revoke", {"tag": "marketing"}, **_bearer(body))
    # then
    assert response.status_code == 200
    assert response.json()["revoked_service_terms"] == [{"tag": "marketing", "agreed": False}]
    terms = {t["tag"]: t for t in Client().get("/oauth/v1/user/service_terms", **_bearer(body)).json()["service_terms"]}
    assert terms["marketing"]["agreed"] is False
    assert TermAgreement.objects.get(term__tag="marketing").revoked_at is not None


def test_a_required_term_cannot_be_revoked(client, alice, shop):
    body = sign_in(client, alice, shop)
    response = Client().post("/oauth/v1/user/service_terms/revoke", {"tag": "tos"}, **_bearer(body))
    assert response.status_code == 409
    assert response.json()["error"] == "invalid_request"
    assert TermAgreement.objects.get(term__tag="tos").revoked_at is None


def test_one_partners_token_cannot_read_through_another_partner(client, alice, bob, shop):
    other = make_shop(bob, name="다른가게", redirect="https://other.example/cb")
    sign_in(client, alice, other, terms=("tos", "marketing"))
    body = sign_in(client, alice, shop)
    terms = Client().get("/oauth/v1/user/service_terms", **_bearer(body)).json()["service_terms"]
    assert {t["tag"]: t["agreed"] for t in terms} == {"tos": True, "marketing": False}
