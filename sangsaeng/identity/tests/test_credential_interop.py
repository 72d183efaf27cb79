"""Our SD-JWT VCs against an independent implementation: the `sd-jwt` reference library."""

from __future__ import annotations

import json
import zlib

from jwcrypto.jwk import JWK
from jwcrypto.jws import JWS
from sd_jwt.verifier import SDJWTVerifier

from sangsaeng.identity import services
from sangsaeng.identity.tests.conftest import AUDIENCE, NONCE, present_with_library, public_dict


def _issuer_key_callback(client):
    jwks = client.get("/identity/.well-known/jwks.json").json()

    def resolve(issuer: str, header: dict) -> JWK:
        assert issuer == "http://127.0.0.1:8000"
        (key,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
        return JWK(**key)

    return resolve


def test_the_library_verifies_a_presentation_made_by_its_own_holder(verified_alice, holder_jwk, client):
    # given a credential bound to the holder's own key
    _credential, token = services.credential_issue(user=verified_alice, holder_jwk=public_dict(holder_jwk))
    # when the library's holder discloses only is_over_19 and the library verifies it
    presentation = present_with_library(token, {"is_over_19"}, holder_jwk)
    verifier = SDJWTVerifier(presentation, _issuer_key_callback(client), AUDIENCE, NONCE)
    claims = verifier.get_verified_payload()
    # then the claim is there and nothing else personal is
    assert claims["is_over_19"] is True
    assert "name" not in claims and "birthdate" not in claims
    assert claims["vct"] == "http://127.0.0.1:8000/vct/identity"
    # and our own verifier agrees
    result = services.presentation_verify(presentation=presentation, nonce=NONCE, audience=AUDIENCE)
    assert result.disclosed == ["is_over_19"]


def test_the_library_verifies_our_hosted_wallet_presentation(verified_alice, client):
    services.credential_issue(user=verified_alice)
    presentation = services.presentation_create(
        actor=verified_alice, disclose=["name", "birthdate"], nonce=NONCE, audience=AUDIENCE
    )
    claims = SDJWTVerifier(presentation, _issuer_key_callback(client), AUDIENCE, NONCE).get_verified_payload()
    assert claims["name"] == "김앨리스"
    assert claims["birthdate"] == "1990-05-17"
    assert "is_over_19" not in claims


def test_the_library_refuses_a_wrong_nonce_in_our_presentation(verified_alice, client):
    services.credential_issue(user=verified_alice)
    presentation = services.presentation_create(
        actor=verified_alice, disclose=["is_over_19"], nonce="other-nonce", audience=AUDIENCE
    )
    try:
        SDJWTVerifier(presentation, _issuer_key_callback(client), AUDIENCE, NONCE)
    except ValueError as exc:
        assert "nonce" in str(exc)
    else:
        raise AssertionError("the library accepted a wrong nonce")


def test_the_status_list_decodes_independently(verified_alice, holder_jwk, client):
    # given two credentials, one revoked
    kept, _ = services.credential_issue(user=verified_alice, holder_jwk=public_dict(holder_jwk))
    revoked, token = services.credential_issue(user=verified_alice, holder_jwk=public_dict(holder_jwk))
    services.credential_revoke(actor=verified_alice, credential_id=revoked.public_id)
    # when a verifier follows the credential's status reference with jwcrypto and zlib
    payload = json.loads(_b64json(token.split("~")[0].split(".")[1]))
    reference = payload["status"]["status_list"]
    assert reference["idx"] == revoked.status_index
    response = client.get(reference["uri"].removeprefix("http://127.0.0.1:8000"))
    assert response["Content-Type"] == "application/statuslist+jwt"
    jws = JWS()
    jws.deserialize(response.content.decode())
    jwks = client.get("/identity/.well-known/jwks.json").json()
    jws.verify(JWK(**jwks["keys"][0]), alg="ES256")
    body = json.loads(jws.payload)
    assert jws.jose_header["typ"] == "statuslist+jwt"
    assert body["sub"] == reference["uri"]
    bits = zlib.decompress(_b64(body["status_list"]["lst"]))
    # then exactly the revoked credential's bit is set
    bit = lambda i: (bits[i // 8] >> (i % 8)) & 1  # noqa: E731
    assert bit(revoked.status_index) == 1
    assert bit(kept.status_index) == 0
    assert sum(bin(b).count("1") for b in bits) == 1


def _b64(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64json(text: str) -> str:
    return _b64(text).decode()


def test_a_credential_issued_by_the_library_verifies_with_our_verifier_when_its_key_is_trusted(holder_jwk):
    """The other direction: our verifier reads an SD-JWT the library made (its own issuer key)."""
    import time

    from sd_jwt.common import SDObj
    from sd_jwt.issuer import SDJWTIssuer

    from sangsaeng.identity import jose, sdjwt

    issuer_key = JWK.generate(kty="EC", crv="P-256", kid="lib-key")
    now = int(time.time())
    claims = {
        "iss": "https://lib.example",
        "iat": now,
        "exp": now + 600,
        "vct": "https://lib.example/vct",
        "cnf": {"jwk": public_dict(holder_jwk)},
        SDObj("name"): "홍길동",
        SDObj("is_over_19"): True,
    }
    issued = SDJWTIssuer(claims, issuer_key, extra_header_parameters={"typ": "dc+sd-jwt", "kid": "lib-key"})
    presentation = present_with_library(issued.sd_jwt_issuance, {"is_over_19"}, holder_jwk)
    public = jose.jwk_public_key(public_dict(issuer_key))
    verified = sdjwt.verify(
        presentation,
        resolve_key=lambda iss, kid: public if kid == "lib-key" else None,
        nonce=NONCE,
        audience=AUDIENCE,
        now=now,
    )
    assert verified.claims["is_over_19"] is True
    assert verified.disclosed == ["is_over_19"]
