import pytest

from sangsaeng.identity.selectors import issuer_jwks

pytestmark = pytest.mark.django_db


def test_the_platform_jwks_publishes_id_token_and_credential_keys(client):
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    algorithms = {key.get("alg") or key["kty"] for key in keys}
    issuer_kids = {key["kid"] for key in issuer_jwks()["keys"]}
    assert issuer_kids and issuer_kids <= {key["kid"] for key in keys}
    assert "RS256" in algorithms or "RSA" in algorithms  # Sync's ID-token key
    assert len({key["kid"] for key in keys}) == len(keys)
