import json

import pytest
from django.test import Client
from jwcrypto import jwk

from sangsaeng.sync.models import SigningKey
from sangsaeng.sync.oidc import keys

from .conftest import id_token_claims, make_shop, sign_in

pytestmark = pytest.mark.django_db


def _basic(shop):
    import base64

    return "Basic " + base64.b64encode(f"{shop.client_id}:{shop.secret}".encode()).decode()


def _kid(token):
    return json.loads(jwk.base64url_decode(token.split(".")[0]))["kid"]


def test_discovery_describes_the_provider(client):
    body = client.get("/.well-known/openid-configuration").json()
    assert body["issuer"] == "http://testserver"
    assert body["authorization_endpoint"] == "http://testserver/oauth/authorize/"
    assert body["token_endpoint"] == "http://testserver/oauth/token/"
    assert body["userinfo_endpoint"] == "http://testserver/oauth/userinfo/"
    assert body["jwks_uri"] == "http://testserver/.well-known/jwks.json"
    assert body["revocation_endpoint"] == "http://testserver/oauth/revoke_token/"
    assert body["introspection_endpoint"] == "http://testserver/oauth/introspect/"
    assert body["end_session_endpoint"] == "http://testserver/oauth/logout/"
    assert body["response_types_supported"] == ["code"]
    assert body["prompt_values_supported"] == ["none", "login", "consent"]


def test_signing_keys_are_encrypted_at_rest(db):
    key = keys.signing_key_current()
    assert "PRIVATE KEY" not in key.private_pem_encrypted
    assert "d" not in key.public_jwk


def test_key_rotation_keeps_old_tokens_verifiable(client, alice, shop):
    before = sign_in(client, alice, shop)["id_token"]
    old_kid = _kid(before)
    # when
    new = keys.signing_key_rotate()
    after = sign_in(client, alice, shop)["id_token"]
    # then
    # the platform JWKS also carries the identity issuer's EC keys; ID-token keys are the RSA ones
    published = {k["kid"] for k in client.get("/.well-known/jwks.json").json()["keys"] if k["kty"] == "RSA"}
    assert len(published) == 2
    assert new.kid in published
    id_token_claims(client, before)
    id_token_claims(client, after)
    assert _kid(after) == new.kid
    assert old_kid in published and old_kid != new.kid


def test_keys_retired_longer_than_a_token_lives_leave_the_jwks(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    old = keys.signing_key_current()
    keys.signing_key_rotate()
    SigningKey.objects.filter(pk=old.pk).update(retired_at=timezone.now() - timedelta(days=2))
    # the platform JWKS also carries the identity issuer's EC keys; ID-token keys are the RSA ones
    published = {k["kid"] for k in client.get("/.well-known/jwks.json").json()["keys"] if k["kty"] == "RSA"}
    assert old.kid not in published
    assert len(published) == 1


def test_introspection_answers_the_pairwise_sub_for_the_callers_own_tokens(client, alice, shop):
    body = sign_in(client, alice, shop)
    response = Client().post("/oauth/introspect/", {"token": body["access_token"]}, HTTP_AUTHORIZATION=_basic(shop))
    data = response.json()
    assert data["active"] is True
    assert data["client_id"] == shop.client_id
    assert data["sub"] == id_token_claims(client, body["id_token"])["sub"]
    assert "username" not in data and "alice" not in response.content.decode()


def test_introspection_of_another_partners_token_is_inactive(client, alice, bob, shop):
    other = make_shop(bob, name="다른가게", redirect="https://other.example/cb")
    body = sign_in(client, alice, shop)
    response = Client().post("/oauth/introspect/", {"token": body["access_token"]}, HTTP_AUTHORIZATION=_basic(other))
    assert response.json() == {"active": False}


def test_introspection_needs_client_authentication(client, alice, shop):
    body = sign_in(client, alice, shop)
    response = Client().post("/oauth/introspect/", {"token": body["access_token"]})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_revocation_rfc7009(client, alice, shop):
    body = sign_in(client, alice, shop)
    response = Client().post(
        "/oauth/revoke_token/",
        {"token": body["access_token"], "token_type_hint": "access_token"},
        HTTP_AUTHORIZATION=_basic(shop),
    )
    assert response.status_code == 200
    assert Client().get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").status_code == 401


def test_rp_initiated_logout_with_a_registered_uri(client, alice, bob):
    from sangsaeng.sync import services

    partner, secret = services.partner_create(
        owner=bob,
        name="로그아웃샵",
        redirect_uris=["https://out.example/cb"],
        post_logout_redirect_uris=["https://out.example/bye"],
        consent_items={"email": "required"},
    )
    services.term_create(actor=bob, partner_id=partner.public_id, tag="tos", title="약관", text="본문")
    from types import SimpleNamespace

    shop = SimpleNamespace(
        partner=partner, client_id=partner.application.client_id, secret=secret, redirect="https://out.example/cb"
    )
    body = sign_in(client, alice, shop, scope="openid email", items=("email",))
    page = client.get(
        "/oauth/logout/",
        {"id_token_hint": body["id_token"], "post_logout_redirect_uri": "https://out.example/bye", "state": "s"},
    )
    assert page.status_code == 200
    response = client.post(
        "/oauth/logout/", {**{k: v for k, v in page.context["form"].initial.items() if v}, "allow": "on"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("https://out.example/bye")
    assert "_auth_user_id" not in client.session


def test_rp_initiated_logout_never_redirects_to_an_unregistered_uri(client, alice, shop):
    body = sign_in(client, alice, shop)
    response = client.get(
        "/oauth/logout/", {"id_token_hint": body["id_token"], "post_logout_redirect_uri": "https://evil.example/"}
    )
    assert response.status_code == 400
    assert "evil.example" not in response.get("Location", "")


def test_the_periodic_purge_drops_old_redemptions_and_expired_tokens(client, alice, shop):
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken

    from sangsaeng.core import periodic
    from sangsaeng.sync.models import CodeRedemption
    from sangsaeng.sync.services import tokens_purge

    sign_in(client, alice, shop)
    CodeRedemption.objects.update(redeemed_at=timezone.now() - timedelta(days=60))
    AccessToken.objects.update(expires=timezone.now() - timedelta(days=60))
    assert periodic._JOBS["sync_tokens_purge"] is tokens_purge  # the worker runs it on its timer
    assert tokens_purge() == 1
    assert not CodeRedemption.objects.exists()
    assert not AccessToken.objects.exists()
