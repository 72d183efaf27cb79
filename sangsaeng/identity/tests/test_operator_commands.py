"""`sangsaeng identity approve` and `sangsaeng identity issue`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from jwcrypto.jwk import JWK
from sd_jwt.verifier import SDJWTVerifier

from sangsaeng.identity.models import Credential, VerifiedIdentity
from sangsaeng.identity.tests.conftest import AUDIENCE, NONCE, present_with_library, public_dict


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("identity", *args, stdout=out)
    return out.getvalue().strip()


def test_approve_then_issue_prints_an_sd_jwt_vc_that_verifies(alice, client, holder_jwk):
    # when an operator records an in-person check and issues a credential for the user's own wallet
    said = _run("approve", "--email", "alice@example.com", "--name", "김앨리스", "--birthdate", "1990-05-17")
    assert said == "verified alice@example.com 김앨리스 1990-05-17"
    assert VerifiedIdentity.objects.get(user=alice).method == "in_person"
    token = _run("issue", "--email", "alice@example.com", "--holder-jwk", json.dumps(public_dict(holder_jwk)))
    # then it is an SD-JWT in issuance form that the reference library verifies with our JWKS
    assert token.count("~") == 4 and token.endswith("~")
    jwks = client.get("/.well-known/jwt-vc-issuer").json()
    keys = client.get(jwks["jwks_uri"].removeprefix("http://testserver")).json()["keys"]
    presentation = present_with_library(token, {"name", "birthdate", "is_over_19"}, holder_jwk)
    claims = SDJWTVerifier(presentation, lambda iss, h: JWK(**keys[0]), AUDIENCE, NONCE).get_verified_payload()
    assert (claims["name"], claims["birthdate"], claims["is_over_19"]) == ("김앨리스", "1990-05-17", True)


def test_issue_refuses_an_unverified_user(alice):
    with pytest.raises(CommandError, match="not_verified"):
        _run("issue", "--email", "alice@example.com")
    assert not Credential.objects.exists()


def test_approve_refuses_a_bad_date_and_an_unknown_user(alice):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("approve", "--email", "alice@example.com", "--name", "김앨리스", "--birthdate", "17/05/1990")
    with pytest.raises(CommandError, match="no user"):
        _run("approve", "--email", "nobody@example.com", "--name", "김", "--birthdate", "1990-05-17")


def test_revoke_and_rotate(alice):
    _run("approve", "--email", "alice@example.com", "--name", "김앨리스", "--birthdate", "1990-05-17")
    _run("issue", "--email", "alice@example.com")
    credential = Credential.objects.get()
    assert _run("revoke", "--credential", str(credential.public_id)) == f"revoked {credential.public_id}"
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    assert _run("rotate-key").startswith("new issuer key ")


def test_a_changed_identity_revokes_credentials_that_state_the_old_one(alice):
    _run("approve", "--email", "alice@example.com", "--name", "김앨리스", "--birthdate", "1990-05-17")
    _run("issue", "--email", "alice@example.com")
    _run("approve", "--email", "alice@example.com", "--name", "김앨리스", "--birthdate", "1990-05-17")
    assert Credential.objects.get().revoked_at is None  # the same facts again change nothing
    _run("approve", "--email", "alice@example.com", "--name", "이앨리스", "--birthdate", "1990-05-17")
    assert Credential.objects.get().revoked_reason == "identity changed"
