"""The OAuth 2.0 Security Best Current Practice (RFC 9700) as a checklist against the Sync provider:
one test per item, named after it, with the section it comes from. test_security.py holds the wider
set of refusals; this file is the list a reviewer ticks."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from sangsaeng.sync.models import Link

from .conftest import authorize_url, consent_post, exchange, make_shop, pkce_pair, redirect_params

pytestmark = pytest.mark.django_db


def _authorize(client, user, shop, challenge, **extra):
    """The redirect after consent: (location, params)."""
    client.force_login(user)
    page = client.get(authorize_url(shop, challenge=challenge, **extra))
    if page.status_code == 200:
        page = consent_post(client, page)
    return redirect_params(page)


def _code(client, user, shop):
    verifier, challenge = pkce_pair()
    return _authorize(client, user, shop, challenge)[1]["code"], verifier


def _refresh(shop, token, client=None):
    data = {"grant_type": "refresh_token", "refresh_token": token, "client_id": shop.client_id}
    if shop.secret:
        data["client_secret"] = shop.secret
    return (client or Client()).post("/oauth/token/", data)


# §2.1.1: PKCE -------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["confidential", "public"])
def test_pkce_is_required_for_every_client(client, alice, shop, public_shop, which):
    target = shop if which == "confidential" else public_shop
    client.force_login(alice)
    _, params = redirect_params(client.get(authorize_url(target)))
    assert params["error"] == "invalid_request"
    assert not Grant.objects.exists()


@pytest.mark.parametrize("method", ["plain", None])
def test_pkce_s256_only_plain_is_refused(client, alice, public_shop, method):
    client.force_login(alice)
    url = authorize_url(public_shop, code_challenge="a" * 43, code_challenge_method=method)
    _, params = redirect_params(client.get(url))
    assert params["error"] == "invalid_request"
    assert not Grant.objects.exists()
    discovery = client.get("/.well-known/openid-configuration").json()
    assert discovery["code_challenge_methods_supported"] == ["S256"]


def test_pkce_verifier_is_checked_at_the_token_endpoint(client, alice, public_shop):
    code, _ = _code(client, alice, public_shop)
    assert exchange(public_shop, code).json()["error"] == "invalid_request"  # no verifier
    code, _ = _code(client, alice, public_shop)
    assert exchange(public_shop, code, verifier=pkce_pair()[0]).json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


# §4.1: exact redirect URI matching, no open redirectors ------------------------------------------


@pytest.mark.parametrize(
    "redirect",
    [
        "https://shop.example/callback/extra",  # path prefix
        "https://shop.example/callback/../evil",
        "https://shop.example/callback?next=https://evil.example",
        "https://shop.example:8443/callback",  # port
        "https://evil.shop.example/callback",  # subdomain
        "https://shop.example.evil.example/callback",
        "https://shop.example@evil.example/callback",  # userinfo
        "http://shop.example/callback",  # scheme
        "https://evil.example/callback",
    ],
)
def test_redirect_uri_exact_matching(client, alice, shop, redirect):
    client.force_login(alice)
    response = client.get(authorize_url(shop, challenge=pkce_pair()[1], redirect_uri=redirect))
    assert response.status_code == 400
    assert "Location" not in response
    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/oauth/authorize/?response_type=code&client_id=unknown&redirect_uri=https://evil.example/",
        "/oauth/logout/?post_logout_redirect_uri=https://evil.example/",
        "/accounts/login/?next=https://evil.example/",
    ],
)
def test_no_open_redirector(client, alice, url):
    client.force_login(alice)
    response = client.get(url)
    assert "evil.example" not in response.get("Location", "")


# §2.1.2 and §4.3: no implicit grant, no tokens in URLs --------------------------------------------


@pytest.mark.parametrize("response_type", ["token", "id_token token", "code token", "id_token"])
def test_implicit_grant_and_hybrid_response_types_are_refused(client, alice, shop, response_type):
    client.force_login(alice)
    response = client.get(authorize_url(shop, challenge=pkce_pair()[1], response_type=response_type))
    location = response.get("Location", "")
    assert "access_token" not in location and "id_token=" not in location
    if response.status_code == 302:
        # the client is registered for the code grant only: oauthlib answers unauthorized_client
        assert parse_qs(urlparse(location).query)["error"][0] in {"unsupported_response_type", "unauthorized_client"}
    else:
        assert response.status_code == 400
    assert not AccessToken.objects.exists()
    assert client.get("/.well-known/openid-configuration").json()["response_types_supported"] == ["code"]


def test_no_tokens_in_urls_for_the_code_flow(client, alice, shop):
    location, params = _authorize(client, alice, shop, pkce_pair()[1])
    assert set(params) == {"code", "state", "iss"}
    assert not location.fragment
    # a bearer token in the query string is not accepted (RFC 6750 §2.3; RFC 9700 §2.4)
    code, verifier = _code(client, alice, shop)
    token = exchange(shop, code, verifier=verifier).json()["access_token"]
    in_url = Client().get(f"/oauth/userinfo/?access_token={token}")
    assert in_url.status_code == 400 and in_url.json()["error"] == "invalid_request"
    assert Client().get(f"/oauth/v1/user/shipping_addresses?access_token={token}").status_code == 401
    assert Client().get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


# §4.5: authorization code injection and replay ---------------------------------------------------


def test_authorization_code_is_single_use_and_replay_revokes_the_tokens_issued(client, alice, shop):
    code, verifier = _code(client, alice, shop)
    first = exchange(shop, code, verifier=verifier).json()
    replay = exchange(shop, code, verifier=verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.filter(user=alice).exists()
    assert not RefreshToken.objects.filter(user=alice, revoked__isnull=True).exists()
    assert Client().get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {first['access_token']}").status_code == 401


def test_authorization_code_is_bound_to_its_client(client, alice, bob, shop):
    other = make_shop(bob, name="다른가게", redirect=shop.redirect)
    code, verifier = _code(client, alice, shop)
    stolen = exchange(other, code, verifier=verifier)
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()
    assert exchange(shop, code, verifier=verifier).status_code == 200  # the rightful client still can


def test_authorization_code_is_bound_to_its_redirect_uri(client, alice, bob):
    from sangsaeng.sync import services

    partner, secret = services.partner_create(
        owner=bob,
        name="두주소가게",
        redirect_uris=["https://two.example/a", "https://two.example/b"],
        public=False,
        consent_items={"profile": "required"},
    )
    shop_a = SimpleNamespace(
        partner=partner, client_id=partner.application.client_id, secret=secret, redirect="https://two.example/a"
    )
    verifier, challenge = pkce_pair()
    client.force_login(alice)
    page = client.get(authorize_url(shop_a, challenge=challenge, scope="openid profile"))
    code = redirect_params(consent_post(client, page, items=("profile",), terms=()))[1]["code"]
    shop_a.redirect = "https://two.example/b"
    swapped = exchange(shop_a, code, verifier=verifier).json()
    # oauthlib answers invalid_request ("Mismatching redirect URI") where RFC 6749 §5.2 says invalid_grant
    assert swapped["error"] in {"invalid_grant", "invalid_request"}
    assert "redirect" in swapped.get("error_description", "redirect").lower()
    assert not AccessToken.objects.exists()


def test_state_is_passed_through_on_success_and_on_error(client, alice, shop):
    _, params = _authorize(client, alice, shop, pkce_pair()[1], state="xyz-💡")
    assert params["state"] == "xyz-💡"
    _, params = redirect_params(client.get(authorize_url(shop, state="abc")))  # no PKCE: an error
    assert params["error"] == "invalid_request" and params["state"] == "abc"


# §4.4: mix-up attacks ----------------------------------------------------------------------------


def test_mix_up_defence_iss_in_the_authorization_response(client, alice, shop):
    discovery = client.get("/.well-known/openid-configuration").json()
    assert discovery["authorization_response_iss_parameter_supported"] is True
    _, params = _authorize(client, alice, shop, pkce_pair()[1])
    assert params["iss"] == discovery["issuer"]
    _, params = redirect_params(client.get(authorize_url(shop)))  # error responses carry it too
    assert params["error"] == "invalid_request" and params["iss"] == discovery["issuer"]
    again = client.get(authorize_url(shop, challenge=pkce_pair()[1], prompt="consent"))
    denied = consent_post(client, again, allow=False)
    _, params = redirect_params(denied)
    assert params["error"] == "access_denied" and params["iss"] == discovery["issuer"]


# §4.14: refresh tokens ---------------------------------------------------------------------------


def test_refresh_token_rotation_for_public_clients(client, alice, public_shop):
    code, verifier = _code(client, alice, public_shop)
    body = exchange(public_shop, code, verifier=verifier).json()
    rotated = _refresh(public_shop, body["refresh_token"]).json()
    assert rotated["refresh_token"] != body["refresh_token"]
    # a replay of the used token is refused and revokes the whole family, the attacker's copy too
    assert _refresh(public_shop, body["refresh_token"]).json()["error"] == "invalid_grant"
    assert _refresh(public_shop, rotated["refresh_token"]).json()["error"] == "invalid_grant"
    assert not AccessToken.objects.filter(user=alice).exists()


def test_refresh_token_is_bound_to_its_client(client, alice, bob, shop):
    other = make_shop(bob, name="다른가게", redirect="https://other.example/cb")
    code, verifier = _code(client, alice, shop)
    body = exchange(shop, code, verifier=verifier).json()
    assert _refresh(other, body["refresh_token"]).json()["error"] == "invalid_grant"
    assert _refresh(shop, body["refresh_token"]).status_code == 200


# §2.5: client authentication ---------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
def test_client_authentication_for_confidential_clients(client, alice, shop, secret):
    code, verifier = _code(client, alice, shop)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": shop.redirect,
        "client_id": shop.client_id,
        "code_verifier": verifier,
    }
    if secret:
        data["client_secret"] = secret
    response = Client().post("/oauth/token/", data)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.exists()
    assert exchange(shop, code, verifier=verifier).status_code == 200  # an unauthenticated try burns nothing


# §2.4 and §4.15: resource owner password credentials grant ----------------------------------------


def test_ropc_grant_is_refused(shop, alice):
    data = {"grant_type": "password", "username": alice.email, "password": "correct-horse-battery-staple"}
    response = Client().post("/oauth/token/", {"client_id": shop.client_id, "client_secret": shop.secret, **data})
    assert response.status_code in {400, 401}
    assert response.json()["error"] in {"unsupported_grant_type", "unauthorized_client"}
    assert not AccessToken.objects.exists()
    grants = Client().get("/.well-known/openid-configuration").json().get("grant_types_supported", [])
    assert "password" not in grants and "implicit" not in grants


# §4.11 and §4.12: clickjacking of the consent screen, 307 redirects --------------------------------


def test_clickjacking_protection_on_the_consent_page(client, alice, shop):
    client.force_login(alice)
    page = client.get(authorize_url(shop, challenge=pkce_pair()[1]))
    assert page.status_code == 200
    assert page["X-Frame-Options"] == "DENY"
    policy = {part.split()[0]: part.split()[1:] for part in page["Content-Security-Policy"].split(";") if part.strip()}
    assert policy["frame-ancestors"] == ["'none'"]


def test_no_307_redirect_after_the_consent_post(client, alice, shop):
    client.force_login(alice)
    page = client.get(authorize_url(shop, challenge=pkce_pair()[1]))
    response = consent_post(client, page)
    assert response.status_code in {302, 303}
    assert Link.objects.filter(user=alice).exists()
