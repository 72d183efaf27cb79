"""Each security point of issue 3 has a test here; refusals are OAuth errors, never a 500."""

import pytest
from django.test import Client, override_settings
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from sangsaeng.sync.models import Link

from .conftest import authorize_url, consent_post, exchange, pkce_pair, redirect_params, sign_in

pytestmark = pytest.mark.django_db


def _code(client, alice, shop, challenge):
    client.force_login(alice)
    page = client.get(authorize_url(shop, challenge=challenge))
    if page.status_code == 200:
        page = consent_post(client, page)
    return redirect_params(page)[1]["code"]


@pytest.mark.parametrize(
    "redirect",
    [
        "https://shop.example/callback/",
        "https://shop.example/callback?x=1",
        "https://shop.example/callbackx",
        "http://shop.example/callback",
        "https://evil.example/callback",
        "https://shop.example.evil.example/callback",
        "https://SHOP.example/callback#frag",
    ],
)
def test_redirect_uris_must_match_exactly_and_are_never_followed(client, alice, shop, redirect):
    client.force_login(alice)
    response = client.get(authorize_url(shop, challenge=pkce_pair()[1], redirect_uri=redirect))
    assert response.status_code == 400
    assert "Location" not in response
    assert "invalid_request" in response.content.decode() or "mismatch" in response.content.decode().lower()
    assert not Link.objects.exists()


def test_an_unknown_client_gets_an_error_page_not_a_redirect(client, alice):
    client.force_login(alice)
    response = client.get("/oauth/authorize/?response_type=code&client_id=nope&redirect_uri=https://evil.example/")
    assert response.status_code in {400, 401}
    assert "Location" not in response


@pytest.mark.parametrize("allow", [{}, {"allow": "on"}])
def test_a_consent_form_posted_for_an_unknown_client_is_an_error_page(client, alice, shop, allow):
    # found by the OIDC fuzzer: django-oauth-toolkit looked the client up with .get() and crashed
    client.force_login(alice)
    form = {"client_id": shop.client_id + "x", "redirect_uri": shop.redirect, "response_type": "code"}
    form |= {"scope": "openid", "state": "s", **allow}
    response = client.post("/oauth/authorize/", form)
    assert response.status_code == 400
    assert not response.has_header("Location")
    assert (Grant.objects.count(), Link.objects.count()) == (0, 0)


def test_a_code_is_single_use_and_its_reuse_revokes_the_tokens_it_minted(client, alice, shop):
    # given
    verifier, challenge = pkce_pair()
    code = _code(client, alice, shop, challenge)
    first = exchange(shop, code, verifier=verifier).json()
    assert AccessToken.objects.filter(user=alice).count() == 1
    # when
    again = exchange(shop, code, verifier=verifier)
    # then
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.filter(user=alice).exists()
    assert not RefreshToken.objects.filter(user=alice, revoked__isnull=True).exists()
    userinfo = Client().get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {first['access_token']}")
    assert userinfo.status_code == 401
    refreshed = Client().post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": shop.client_id,
            "client_secret": shop.secret,
        },
    )
    assert refreshed.json()["error"] == "invalid_grant"


def test_plain_pkce_is_refused_on_the_authorization_request(client, alice, public_shop):
    client.force_login(alice)
    response = client.get(authorize_url(public_shop, code_challenge="a" * 43, code_challenge_method="plain"))
    _, params = redirect_params(response)
    assert params["error"] == "invalid_request"
    assert params["state"] == "st-123"
    assert not Grant.objects.exists()


def test_a_challenge_without_a_method_defaults_to_plain_and_is_refused(client, alice, public_shop):
    client.force_login(alice)
    _, params = redirect_params(client.get(authorize_url(public_shop, code_challenge="a" * 43)))
    assert params["error"] == "invalid_request"


def test_public_clients_must_use_pkce(client, alice, public_shop):
    client.force_login(alice)
    _, params = redirect_params(client.get(authorize_url(public_shop)))
    assert params["error"] == "invalid_request"
    assert "code challenge required" in params["error_description"].lower()


def test_a_wrong_verifier_is_refused(client, alice, public_shop):
    verifier, challenge = pkce_pair()
    code = _code(client, alice, public_shop, challenge)
    response = exchange(public_shop, code, verifier=verifier[:-1] + ("A" if verifier[-1] != "A" else "B"))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_a_public_client_completes_the_flow_with_s256(client, alice, public_shop):
    body = sign_in(client, alice, public_shop)
    assert body["token_type"] == "Bearer"


@override_settings(SYNC_TOKEN_RATE_LIMIT=3)
def test_the_token_endpoint_is_rate_limited(shop):
    anon = Client()
    data = {"grant_type": "authorization_code", "code": "x", "client_id": shop.client_id, "redirect_uri": shop.redirect}
    statuses = [anon.post("/oauth/token/", data).status_code for _ in range(4)]
    assert statuses[:3] == [401, 401, 401]
    limited = anon.post("/oauth/token/", data)
    assert limited.status_code == 429
    assert limited.json()["error"] == "temporarily_unavailable"
    assert int(limited["Retry-After"]) >= 1


def test_refresh_tokens_rotate_and_reuse_revokes_the_family(client, alice, shop):
    body = sign_in(client, alice, shop)
    refresh = {"grant_type": "refresh_token", "client_id": shop.client_id, "client_secret": shop.secret}
    rotated = Client().post("/oauth/token/", {**refresh, "refresh_token": body["refresh_token"]}).json()
    assert rotated["refresh_token"] != body["refresh_token"]
    # when the old one is replayed
    replay = Client().post("/oauth/token/", {**refresh, "refresh_token": body["refresh_token"]})
    # then
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    stolen = Client().post("/oauth/token/", {**refresh, "refresh_token": rotated["refresh_token"]})
    assert stolen.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.filter(user=alice).exists()


def test_refresh_tokens_expire(client, alice, shop, settings):
    from datetime import timedelta

    from django.utils import timezone

    body = sign_in(client, alice, shop)
    AccessToken.objects.filter(user=alice).update(expires=timezone.now() - timedelta(days=31))
    response = Client().post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_id": shop.client_id,
            "client_secret": shop.secret,
        },
    )
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"grant_type": "password", "username": "alice@example.com", "password": "x"},
        {"grant_type": "client_credentials"},
        {"grant_type": "authorization_code", "code": "\x00" * 10},
        {"grant_type": "refresh_token", "refresh_token": ""},
        {"grant_type": "../../etc"},
    ],
)
def test_malformed_token_requests_get_oauth_errors(shop, data):
    response = Client().post("/oauth/token/", {"client_id": shop.client_id, "client_secret": shop.secret, **data})
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_a_bad_basic_header_is_an_oauth_error():
    response = Client().post("/oauth/token/", {"grant_type": "authorization_code"}, HTTP_AUTHORIZATION="Basic %%%")
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "response_type=token&client_id={cid}&redirect_uri={uri}",
        "response_type=code&client_id={cid}&redirect_uri={uri}&scope=openid%20admin",
        "response_type=code&client_id={cid}&redirect_uri={uri}&prompt=none%20login",
        "response_type=code&client_id={cid}&redirect_uri={uri}&scope=openid&code_challenge_method=S256&code_challenge=",
    ],
)
def test_malformed_authorization_requests_never_500(client, alice, shop, query):
    client.force_login(alice)
    response = client.get("/oauth/authorize/?" + query.format(cid=shop.client_id, uri=shop.redirect))
    assert response.status_code in {302, 400}
    if response.status_code == 302:
        assert response["Location"].startswith(shop.redirect)
        assert "error=" in response["Location"]


def test_prompt_none_without_a_session_answers_login_required(client, shop):
    _, params = redirect_params(client.get(authorize_url(shop, challenge=pkce_pair()[1], prompt="none")))
    assert params["error"] == "login_required"


def test_prompt_none_before_consent_answers_consent_required(client, alice, shop):
    client.force_login(alice)
    _, params = redirect_params(client.get(authorize_url(shop, challenge=pkce_pair()[1], prompt="none")))
    assert params["error"] == "consent_required"
    assert params["state"] == "st-123"


def test_prompt_none_after_consent_returns_a_code(client, alice, shop):
    sign_in(client, alice, shop)
    _, params = redirect_params(client.get(authorize_url(shop, challenge=pkce_pair()[1], prompt="none")))
    assert "code" in params


def test_prompt_login_signs_the_user_out_and_sends_them_to_sign_in(client, alice, shop):
    client.force_login(alice)
    response = client.get(authorize_url(shop, challenge=pkce_pair()[1], prompt="login"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "prompt" not in response["Location"]
    assert "_auth_user_id" not in client.session


def test_prompt_consent_shows_the_screen_again(client, alice, shop):
    sign_in(client, alice, shop)
    response = client.get(authorize_url(shop, challenge=pkce_pair()[1], prompt="consent"))
    assert response.status_code == 200
    assert response.context["is_first_link"] is False


def test_the_login_redirect_keeps_the_user_on_this_site(client, shop):
    response = client.get(authorize_url(shop, challenge=pkce_pair()[1]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/oauth/authorize/")


def test_the_consent_post_cannot_widen_the_redirect(client, alice, shop):
    client.force_login(alice)
    page = client.get(authorize_url(shop, challenge=pkce_pair()[1]))
    response = consent_post(client, page, redirect_uri="https://evil.example/callback")
    assert "evil.example" not in response.get("Location", "")
    assert not Link.objects.filter(user=alice).exists()


def test_s256_is_the_only_advertised_challenge_method(client):
    body = client.get("/.well-known/openid-configuration").json()
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert body["subject_types_supported"] == ["pairwise"]
    assert body["id_token_signing_alg_values_supported"] == ["RS256"]


@pytest.mark.parametrize(
    "method,path,data,headers",
    [
        ("get", "/oauth/userinfo/", None, {"Authorization": "Bearer"}),
        ("get", "/oauth/userinfo/", None, {"Authorization": "Basic Zm9vOmJhcg=="}),
        ("post", "/oauth/userinfo/", {"x": "1"}, {"Authorization": "Bearer \u00e9\u00e9"}),
        ("post", "/oauth/introspect/", {"token": "x"}, {"Authorization": "Basic !!!"}),
        ("post", "/oauth/introspect/", {}, {}),
        ("post", "/oauth/revoke_token/", {"token": "x"}, {}),
        ("post", "/oauth/revoke_token/", {}, {"Authorization": "Basic Zm9vOmJhcg=="}),
        ("get", "/oauth/logout/", {"id_token_hint": "not.a.jwt"}, {}),
        ("get", "/oauth/logout/", {"id_token_hint": "eyJhbGciOiJub25lIn0.e30."}, {}),
        ("get", "/oauth/logout/", {"post_logout_redirect_uri": "https://evil.example/"}, {}),
        ("get", "/oauth/v1/user/shipping_addresses", None, {"Authorization": "Bearer " + "a" * 5000}),
        ("post", "/oauth/v1/user/service_terms/revoke", {"tag": "tos"}, {"Authorization": "Bearer nope"}),
    ],
)
def test_garbage_at_every_endpoint_is_refused_without_a_500(client, method, path, data, headers):
    response = getattr(client, method)(path, data, headers=headers)
    assert 400 <= response.status_code < 500
    assert "evil.example" not in response.get("Location", "")


def test_the_consent_page_lets_its_form_redirect_only_to_the_registered_origin(client, alice, shop):
    client.force_login(alice)
    page = client.get(authorize_url(shop, challenge=pkce_pair()[1]))
    policy = page["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert form_action.split() == ["form-action", "'self'", "https://shop.example"]


@pytest.mark.parametrize(
    "path,data",
    [
        ("/oauth/token/", {"grant_type": "authorization_code", "code": "a\x00b"}),
        ("/oauth/introspect/", {"token": "\x00"}),
        ("/oauth/revoke_token/", {"token": "x\x00"}),
    ],
)
def test_nul_bytes_are_refused_before_reaching_the_database(shop, path, data):
    response = Client().post(path, {"client_id": shop.client_id, **data})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
