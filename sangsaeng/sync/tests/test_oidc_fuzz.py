"""Fuzzing the OpenID Connect provider with its own request shapes: authorize query strings, token
endpoint form bodies (random grant types, codes, code_verifier, redirect_uri, client credentials),
userinfo and introspection with random bearers.

No request gives a 5xx; the token endpoint's refusals are RFC 6749 error JSON; the authorize
endpoint never redirects anywhere but the shop's registered redirect URI (RFC 6749 4.1.2.1); and
after the fuzzing the real flow still signs alice in. FUZZ_PROTOCOL_EXAMPLES sets the examples (25
here; `make fuzz` runs many more, not derandomized).
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangsaeng.sync.tests.conftest import REDIRECT, sign_in

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_PROTOCOL_EXAMPLES", "25")),
    deadline=None,
    derandomize=os.environ.get("FUZZ_LONG", "") != "1",
    suppress_health_check=list(HealthCheck),
    database=None,
)
OAUTH_ERRORS = {
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
}
text = st.text(max_size=40)
uris = st.sampled_from([REDIRECT, REDIRECT + "/../evil", "https://evil.example/cb", "javascript:alert(1)", ""]) | text


def _client_id(shop):
    return st.sampled_from([shop.client_id, shop.client_id + "x", ""]) | text


@FUZZ
@given(data=st.data())
def test_authorize_redirects_only_to_the_registered_uri(client, alice, shop, data):
    client.force_login(alice)
    params = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "response_type": st.sampled_from(["code", "token", "id_token", "code id_token", ""]) | text,
                "client_id": _client_id(shop),
                "redirect_uri": uris,
                "scope": st.sampled_from(["openid profile email shipping_address", "openid", "admin"]) | text,
                "state": text,
                "nonce": text,
                "code_challenge": text,
                "code_challenge_method": st.sampled_from(["S256", "plain", "md5"]) | text,
                "prompt": st.sampled_from(["none", "login", "consent"]) | text,
            },
        )
    )
    response = client.get("/oauth/authorize/?" + urlencode(params))
    assert response.status_code < 500, (params, response.status_code)
    if response.status_code in {301, 302, 303, 307}:
        location = response["Location"]
        assert location.startswith((REDIRECT + "?", "/accounts/")), (params, location)
    assert client.post("/oauth/authorize/?" + urlencode(params), params).status_code < 500
    # whatever the fuzzed request did, the real flow still signs alice in and userinfo answers
    tokens = sign_in(Client(), alice, shop)
    info = Client().get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert info.status_code == 200 and info.json()["sub"]


@FUZZ
@given(data=st.data())
def test_the_token_endpoint_answers_rfc6749_errors(alice, shop, data):
    from oauth2_provider.models import get_access_token_model, get_application_model

    application = get_application_model().objects.get(client_id=shop.client_id)
    before = (application.client_secret, application.redirect_uris, get_access_token_model().objects.count())
    form = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "grant_type": st.sampled_from(
                    ["authorization_code", "refresh_token", "client_credentials", "password", "implicit"]
                )
                | text,
                "code": text,
                "code_verifier": text
                | st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~", min_size=43, max_size=128),
                "redirect_uri": uris,
                "client_id": _client_id(shop),
                "client_secret": st.sampled_from([shop.secret, ""]) | text,
                "refresh_token": text,
                "scope": text,
                "username": st.just(alice.email) | text,
                "password": text,
            },
        )
    )
    as_basic = data.draw(st.booleans())
    headers: dict[str, Any] = {}
    if as_basic and "client_id" in form:
        import base64

        pair = f"{form.pop('client_id')}:{form.pop('client_secret', '')}"
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(pair.encode()).decode()
    response = Client().post("/oauth/token/", form, **headers)
    assert response.status_code in {400, 401}, (form, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["error"] in OAUTH_ERRORS, body
    application.refresh_from_db()
    assert (application.client_secret, application.redirect_uris, get_access_token_model().objects.count()) == before


@FUZZ
@given(
    token=text | st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=30, max_size=30),
    scheme=st.sampled_from(["Bearer", "bearer", "Basic", "", "Bearer  "]),
    path=st.sampled_from(["/oauth/userinfo/", "/oauth/introspect/"]),
)
def test_userinfo_and_introspection_refuse_random_bearers(alice, shop, token, scheme, path):
    if path == "/oauth/introspect/":
        # RFC 7662: a POST with the token to inspect, the caller authenticated by its bearer
        response = Client().post(path, {"token": token}, HTTP_AUTHORIZATION=f"{scheme} {token}")
    else:
        response = Client().get(path, HTTP_AUTHORIZATION=f"{scheme} {token}")
    assert response.status_code in {400, 401, 403}, (response.status_code, response.content[:200])
