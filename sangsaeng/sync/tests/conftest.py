"""Sync fixtures: a partner shop owned by bob, and helpers that walk the authorization code flow."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from types import SimpleNamespace
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.test import Client
from jwcrypto import jwk, jwt

from sangsaeng.sync import services

REDIRECT = "https://shop.example/callback"
ITEMS = {"profile": "required", "email": "required", "shipping_address": "optional", "phone": "optional"}


def make_shop(owner, *, name="상생마켓", redirect=REDIRECT, public=False, items=None):
    partner, secret = services.partner_create(
        owner=owner, name=name, redirect_uris=[redirect], public=public, consent_items=items or dict(ITEMS)
    )
    services.term_create(actor=owner, partner_id=partner.public_id, tag="tos", title="이용약관", text="약관 본문")
    services.term_create(
        actor=owner,
        partner_id=partner.public_id,
        tag="marketing",
        title="마케팅 수신",
        url="https://shop.example/marketing",
        required=False,
        revocable=True,
    )
    return SimpleNamespace(partner=partner, client_id=partner.application.client_id, secret=secret, redirect=redirect)


@pytest.fixture
def shop(bob):
    return make_shop(bob)


@pytest.fixture
def public_shop(bob):
    return make_shop(bob, name="모바일샵", redirect="https://app.example/cb", public=True)


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def authorize_url(shop, *, scope="openid profile email shipping_address", challenge=None, **extra):
    params = {
        "response_type": "code",
        "client_id": shop.client_id,
        "redirect_uri": shop.redirect,
        "scope": scope,
        "state": "st-123",
        "nonce": "n-456",
    }
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    params.update({k: v for k, v in extra.items() if v is not None})
    return "/oauth/authorize/?" + urlencode(params)


def consent_post(client, page, *, items=("profile", "email", "shipping_address"), terms=("tos",), allow=True, **more):
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "allow"}
    data.update({"items": list(items), "terms": list(terms), **more})
    if allow:
        data["allow"] = "on"
    return client.post(page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"], data)


def redirect_params(response):
    assert response.status_code == 302, response.content[:500]
    location = urlparse(response["Location"])
    return location, {k: v[0] for k, v in parse_qs(location.query).items()}


def exchange(shop, code, *, verifier=None, client=None):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": shop.redirect,
        "client_id": shop.client_id,
    }
    if verifier:
        data["code_verifier"] = verifier
    if shop.secret:
        data["client_secret"] = shop.secret
    return (client or Client()).post("/oauth/token/", data)


def sign_in(client, user, shop, *, scope="openid profile email shipping_address", prompt=None, **consent):
    """Walk the whole flow for `user`; returns the token response body."""
    client.force_login(user)
    verifier, challenge = pkce_pair()
    page = client.get(authorize_url(shop, scope=scope, challenge=challenge, prompt=prompt))
    if page.status_code == 200:
        page = consent_post(client, page, **consent)
    _, params = redirect_params(page)
    response = exchange(shop, params["code"], verifier=verifier)
    assert response.status_code == 200, response.content
    return response.json()


def id_token_claims(client, token):
    keys = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").content)
    return json.loads(jwt.JWT(key=keys, jwt=token).claims)
