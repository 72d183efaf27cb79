"""Holder API and pages: issuing, listing, presenting, revoking; issuer metadata; other users' access."""

from __future__ import annotations

from sangsaeng.identity.models import Credential
from sangsaeng.identity.tests.conftest import AUDIENCE, NONCE


def test_issuer_metadata_points_to_the_jwks(client, db):
    metadata = client.get("/.well-known/jwt-vc-issuer").json()
    assert metadata == {
        "issuer": "http://127.0.0.1:8000",
        "jwks_uri": "http://testserver/identity/.well-known/jwks.json",
    }
    keys = client.get("/identity/.well-known/jwks.json").json()["keys"]
    assert len(keys) == 1
    assert {k: keys[0][k] for k in ("kty", "crv", "alg", "use")} == {
        "kty": "EC",
        "crv": "P-256",
        "alg": "ES256",
        "use": "sig",
    }
    assert "d" not in keys[0]


def test_the_holder_issues_presents_and_revokes_through_the_api(api_alice, verified_alice, anon_api):
    issued = api_alice.post("/api/v1/identity/credentials", {})
    assert issued.status_code == 201
    credential_id = issued.json()["credential"]["id"]
    assert [c["id"] for c in api_alice.get("/api/v1/identity/credentials").json()] == [credential_id]
    presented = api_alice.post(
        "/api/v1/identity/presentations", {"disclose": ["is_over_19"], "nonce": NONCE, "audience": AUDIENCE}
    )
    presentation = presented.json()["presentation"]
    verified = anon_api.post(
        "/api/v1/identity/verify", {"presentation": presentation, "nonce": NONCE, "audience": AUDIENCE}
    )
    assert verified.json()["disclosed"] == ["is_over_19"]
    assert api_alice.post(f"/api/v1/identity/credentials/{credential_id}/revoke").json()["revoked"] is True
    again = anon_api.post(
        "/api/v1/identity/verify", {"presentation": presentation, "nonce": NONCE, "audience": AUDIENCE}
    )
    assert again.json()["code"] == "revoked"


def test_another_user_gets_404_and_nothing_changes(api_alice, api_bob, verified_alice, bob, client):
    credential_id = api_alice.post("/api/v1/identity/credentials", {}).json()["credential"]["id"]
    assert api_bob.post(f"/api/v1/identity/credentials/{credential_id}/revoke").status_code == 404
    refused = api_bob.post(
        "/api/v1/identity/presentations",
        {"disclose": ["name"], "nonce": NONCE, "audience": AUDIENCE, "credential_id": credential_id},
    )
    assert refused.status_code == 404
    client.force_login(bob)
    assert client.post(f"/identity/credentials/{credential_id}/revoke").status_code == 404
    assert Credential.objects.get(public_id=credential_id).revoked_at is None
    assert api_bob.get("/api/v1/identity/credentials").json() == []


def test_an_unverified_user_can_not_get_a_credential(api_bob):
    response = api_bob.post("/api/v1/identity/credentials", {})
    assert (response.status_code, response.json()["code"]) == (409, "not_verified")


def test_a_bad_holder_key_is_refused(api_alice, verified_alice):
    response = api_alice.post("/api/v1/identity/credentials", {"holder_jwk": {"kty": "RSA", "n": "x", "e": "AQAB"}})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_holder_key")


def test_the_wallet_page_shows_the_credential_and_makes_a_presentation(client, verified_alice):
    client.force_login(verified_alice)
    assert client.post("/identity/credentials/issue").status_code == 302
    page = client.get("/identity/").content.decode()
    assert "김앨리스" in page and "1990-05-17" in page and "만 19세 이상" in page
    response = client.post("/identity/", {"audience": AUDIENCE, "nonce": NONCE, "disclose": ["is_over_19"]})
    assert 'data-testid="presentation"' in response.content.decode()


def test_the_signed_out_wallet_sends_to_sign_in(client, db):
    assert client.get("/identity/").status_code == 302
