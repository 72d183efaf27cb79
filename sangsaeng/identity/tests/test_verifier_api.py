"""POST /api/v1/identity/verify: accepted presentations and each refusal with its reason code."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from jwcrypto.jwk import JWK

from sangsaeng.identity import jose, sdjwt, services
from sangsaeng.identity.tests.conftest import AUDIENCE, NONCE, now, present_with_library, public_dict

URL = "/api/v1/identity/verify"


def _verify(client, presentation, nonce=NONCE, audience=AUDIENCE):
    return client.post(
        URL, {"presentation": presentation, "nonce": nonce, "audience": audience}, content_type="application/json"
    )


@pytest.fixture
def issued(verified_alice, holder_jwk):
    credential, token = services.credential_issue(user=verified_alice, holder_jwk=public_dict(holder_jwk))
    return credential, token


def test_a_valid_presentation_is_accepted_without_sign_in(client, issued, holder_jwk):
    _credential, token = issued
    response = _verify(client, present_with_library(token, {"is_over_19"}, holder_jwk))
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True
    assert body["disclosed"] == ["is_over_19"]
    assert body["claims"]["is_over_19"] is True
    assert "name" not in body["claims"]


def _refusal(response, code):
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_a_wrong_nonce_is_refused(client, issued, holder_jwk):
    presentation = present_with_library(issued[1], {"is_over_19"}, holder_jwk, nonce="replayed-nonce")
    _refusal(_verify(client, presentation), "wrong_nonce")


def test_a_wrong_audience_is_refused(client, issued, holder_jwk):
    presentation = present_with_library(issued[1], {"is_over_19"}, holder_jwk, audience="https://evil.example")
    _refusal(_verify(client, presentation), "wrong_audience")


def test_an_expired_credential_is_refused(client, verified_alice, holder_jwk):
    _credential, token = services.credential_issue(
        user=verified_alice, holder_jwk=public_dict(holder_jwk), now=timezone.now() - timedelta(days=400)
    )
    _refusal(_verify(client, present_with_library(token, {"is_over_19"}, holder_jwk)), "expired")


def test_a_revoked_credential_is_refused(client, issued, holder_jwk, verified_alice):
    credential, token = issued
    presentation = present_with_library(token, {"is_over_19"}, holder_jwk)
    assert _verify(client, presentation).status_code == 200
    services.credential_revoke(actor=verified_alice, credential_id=credential.public_id)
    _refusal(_verify(client, presentation), "revoked")


def test_a_tampered_disclosure_is_refused(client, issued, holder_jwk):
    # given a valid presentation of the birth date
    jwt, disclosures, kb = sdjwt.split(present_with_library(issued[1], {"birthdate"}, holder_jwk))
    # when the birth date inside the disclosure is edited
    salt, name, _value = json.loads(jose.b64d(disclosures[0]))
    forged = jose.b64e(json.dumps([salt, name, "1970-01-01"]).encode())
    # then no signed digest matches it
    _refusal(_verify(client, f"{jwt}~{forged}~{kb}"), "tampered_disclosure")


def test_a_malformed_sd_jwt_is_refused(client):
    _refusal(_verify(client, "not-an-sd-jwt"), "malformed")
    _refusal(_verify(client, "a.b~c~"), "malformed")
    _refusal(_verify(client, "eyJ!!.e30.x~"), "malformed")


def test_an_unknown_issuer_is_refused(client, holder_jwk):
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    token = sdjwt.issue(
        claims={
            "iss": "https://evil.example",
            "vct": "x",
            "iat": now(),
            "is_over_19": True,
            "cnf": {"jwk": public_dict(holder_jwk)},
        },
        disclosable=["is_over_19"],
        key=key,
        kid="evil",
    )
    _refusal(_verify(client, present_with_library(token, {"is_over_19"}, holder_jwk)), "unknown_issuer")


def test_a_forged_issuer_signature_is_refused(client, issued, holder_jwk):
    token = issued[1]
    header, payload, _signature = token.split("~")[0].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["exp"] += 10_000_000
    forged_payload = jose.json_b64(claims)
    forged = token.replace(f"{header}.{payload}.", f"{header}.{forged_payload}.", 1)
    _refusal(_verify(client, present_with_library(forged, {"is_over_19"}, holder_jwk)), "bad_signature")


def test_a_presentation_without_key_binding_is_refused(client, issued):
    token = issued[1]
    _refusal(_verify(client, token), "key_binding_missing")


def test_a_key_binding_by_another_key_is_refused(client, issued):
    _refusal(
        _verify(client, present_with_library(issued[1], {"is_over_19"}, JWK.generate(kty="EC", crv="P-256"))),
        "bad_key_binding",
    )


def test_a_presentation_with_a_disclosure_added_after_binding_is_refused(client, issued, holder_jwk):
    token = issued[1]
    presentation = present_with_library(token, {"is_over_19"}, holder_jwk)
    name_disclosure = next(d for d in sdjwt.split(token)[1] if sdjwt.disclosure_name(d) == "name")
    jwt, disclosures, kb = sdjwt.split(presentation)
    widened = jwt + "~" + "".join(d + "~" for d in [*disclosures, name_disclosure]) + kb
    _refusal(_verify(client, widened), "sd_hash_mismatch")


def test_an_oversized_presentation_is_refused(client):
    response = _verify(client, "a" * 20_001)
    assert response.status_code == 422
    assert response.json()["field"] == "presentation"
