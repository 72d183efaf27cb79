import pytest
from django.test import Client

from sangsaeng.sync.models import Consent, Link, TermAgreement

from .conftest import authorize_url, consent_post, exchange, id_token_claims, pkce_pair, redirect_params, sign_in

pytestmark = pytest.mark.django_db


def test_first_sign_in_shows_consent_links_the_user_and_marks_them_new(client, alice, shop):
    # given
    client.force_login(alice)
    verifier, challenge = pkce_pair()
    # when
    page = client.get(authorize_url(shop, challenge=challenge))
    # then
    assert page.status_code == 200
    assert [e["item"] for e in page.context["consent_items"]] == ["profile", "email", "shipping_address"]
    assert "상생마켓" in page.content.decode()
    location, params = redirect_params(consent_post(client, page, terms=("tos", "marketing")))
    assert location.geturl().startswith(shop.redirect)
    assert params["state"] == "st-123"
    body = exchange(shop, params["code"], verifier=verifier).json()
    assert {"access_token", "refresh_token", "id_token"} <= set(body)
    claims = id_token_claims(client, body["id_token"])
    assert claims["is_new_user"] is True
    assert claims["nonce"] == "n-456"
    assert claims["aud"] == shop.client_id
    assert claims["iss"] == "http://testserver"
    assert "email" not in claims
    link = Link.objects.get(user=alice, partner=shop.partner)
    assert set(Consent.objects.filter(link=link, granted=True).values_list("item", flat=True)) == {
        "profile",
        "email",
        "shipping_address",
    }
    assert set(TermAgreement.objects.filter(link=link).values_list("term__tag", flat=True)) == {"tos", "marketing"}
    assert all(a.agreed_at for a in TermAgreement.objects.filter(link=link))


def test_a_returning_user_skips_the_screen_and_is_no_longer_new(client, alice, shop):
    sign_in(client, alice, shop)
    # when
    verifier, challenge = pkce_pair()
    response = client.get(authorize_url(shop, challenge=challenge))
    # then
    _, params = redirect_params(response)
    body = exchange(shop, params["code"], verifier=verifier).json()
    assert id_token_claims(client, body["id_token"])["is_new_user"] is False


def test_userinfo_releases_claims_by_scope_and_consent(client, alice, shop):
    body = sign_in(client, alice, shop, items=("profile", "email"))
    info = Client().get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").json()
    assert info["email"] == "alice@example.com"
    assert info["email_verified"] is True
    assert info["nickname"] == "앨리스"
    assert info["shipping_address_needs_agreement"] is True
    assert info["email_needs_agreement"] is False
    assert "phone_number" not in info


def test_pairwise_subjects_differ_between_partners(client, alice, bob, shop):
    from .conftest import make_shop

    other = make_shop(bob, name="다른가게", redirect="https://other.example/cb")
    one = id_token_claims(client, sign_in(client, alice, shop)["id_token"])["sub"]
    two = id_token_claims(client, sign_in(client, alice, other)["id_token"])["sub"]
    assert one != two
    assert str(alice.public_id) not in (one, two)
    assert one == id_token_claims(client, sign_in(client, alice, shop)["id_token"])["sub"]


def test_a_required_item_left_unchecked_is_refused_and_nothing_recorded(client, alice, shop):
    client.force_login(alice)
    page = client.get(authorize_url(shop, challenge=pkce_pair()[1]))
    response = consent_post(client, page, items=("profile",))
    assert response.status_code == 200
    assert "필수 항목" in response.content.decode()
    assert not Link.objects.filter(user=alice).exists()


def test_denying_returns_access_denied_to_the_partner(client, alice, shop):
    client.force_login(alice)
    page = client.get(authorize_url(shop, challenge=pkce_pair()[1]))
    _, params = redirect_params(consent_post(client, page, allow=False))
    assert params["error"] == "access_denied"
    assert params["state"] == "st-123"
    assert not Link.objects.filter(user=alice).exists()


def test_the_channel_opt_in_is_recorded_with_its_time(client, alice, bob, shop):
    from sangsaeng.sync import services

    services.partner_update(
        actor=bob,
        partner_id=shop.partner.public_id,
        consent_items=shop.partner.consent_items,
        channel_name="상생마켓 채널",
        logo_url="",
        privacy_policy_url="",
    )
    client.force_login(alice)
    page = client.get(authorize_url(shop, challenge=pkce_pair()[1]))
    assert 'data-testid="follow-channel"' in page.content.decode()
    redirect_params(consent_post(client, page, follow_channel="on"))
    link = Link.objects.get(user=alice)
    assert link.channel_followed is True
    assert link.channel_decided_at is not None


def test_an_item_the_partner_adds_later_is_asked_once_then_skipped(client, alice, bob, shop):
    from sangsaeng.sync import services

    sign_in(client, alice, shop, scope="openid profile email phone")
    services.partner_update(
        actor=bob,
        partner_id=shop.partner.public_id,
        consent_items={**shop.partner.consent_items, "name": "optional"},
        channel_name="",
        logo_url="",
        privacy_policy_url="",
    )
    client.force_login(alice)
    page = client.get(authorize_url(shop, scope="openid profile email phone", challenge=pkce_pair()[1]))
    assert page.status_code == 200
    redirect_params(consent_post(client, page, items=("profile", "email")))  # declines name and phone
    again = client.get(authorize_url(shop, scope="openid profile email phone", challenge=pkce_pair()[1]))
    assert "code" in redirect_params(again)[1]


PERSONAL = {
    "profile": "required",
    "email": "required",
    "birthday": "optional",
    "age_range": "optional",
    "gender": "optional",
}


def test_birthday_age_range_and_gender_are_released_only_with_consent(client, alice, bob):
    import datetime

    from sangsaeng.accounts.services import user_update_profile

    from .conftest import make_shop

    shop = make_shop(bob, items=PERSONAL)

    user_update_profile(
        user=alice, display_name="앨리스", phone="", birthdate=datetime.date(1990, 11, 17), gender="female"
    )
    # given consent to birthday, age range and gender
    body = sign_in(
        client, alice, shop, scope="openid profile email", items=("profile", "email", "birthday", "age_range", "gender")
    )
    info = Client().get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").json()
    assert info["birthdate"] == "1990-11-17"
    assert info["birthyear"] == "1990"
    assert info["age_range"] in {"30~39", "40~49"}
    assert info["gender"] == "female"
    assert info["gender_needs_agreement"] is False


def test_without_consent_birthday_and_gender_stay_private(client, alice, bob):
    import datetime

    from sangsaeng.accounts.services import user_update_profile

    from .conftest import make_shop

    shop = make_shop(bob, items=PERSONAL)

    user_update_profile(
        user=alice, display_name="앨리스", phone="", birthdate=datetime.date(1990, 11, 17), gender="female"
    )
    body = sign_in(client, alice, shop, scope="openid profile email", items=("profile", "email"))
    info = Client().get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").json()
    assert "birthdate" not in info and "gender" not in info and "age_range" not in info
    assert info["gender_needs_agreement"] is True


def test_age_bands_follow_kakao_sync():
    import datetime

    from sangsaeng.sync.claims import age_range

    today = datetime.date(2026, 11, 29)
    cases = {
        datetime.date(2020, 1, 1): "1~9",
        datetime.date(2014, 11, 30): "10~14",  # turns 12 tomorrow: still 11
        datetime.date(2010, 1, 1): "15~19",
        datetime.date(2006, 11, 29): "20~29",  # 20 today
        datetime.date(1990, 11, 17): "30~39",
        datetime.date(1930, 1, 1): "90~",
    }
    assert {b: age_range(birthdate=b, today=today) for b in cases} == cases
