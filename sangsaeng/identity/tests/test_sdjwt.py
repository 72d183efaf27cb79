"""The SD-JWT verifier's edges, without the database: time, replays, duplicates, algorithm confusion."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from sangsaeng.identity import jose, sdjwt

NOW = 1_800_000_000


@pytest.fixture(scope="module")
def keys():
    return ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())


def _credential(keys, **extra):
    issuer, holder = keys
    claims = {
        "iss": "https://issuer.example",
        "iat": NOW,
        "exp": NOW + 3600,
        "vct": "v",
        "cnf": {"jwk": jose.public_jwk(holder.public_key())},
        "name": "김상생",
        "is_over_19": True,
        **extra,
    }
    return sdjwt.issue(claims=claims, disclosable=["name", "is_over_19"], key=issuer, kid="k")


def _verify(keys, presentation, now=NOW):
    issuer_public = keys[0].public_key()
    return sdjwt.verify(presentation, resolve_key=lambda iss, kid: issuer_public, nonce="n", audience="a", now=now)


def _present(keys, token, disclose=("is_over_19",), iat=NOW):
    return sdjwt.present(sd_jwt=token, disclose=disclose, holder_key=keys[1], nonce="n", audience="a", iat=iat)


def _code(keys, presentation, now=NOW):
    with pytest.raises(sdjwt.VerificationError) as refused:
        _verify(keys, presentation, now)
    return refused.value.code


def test_only_the_chosen_claims_are_disclosed_and_decoys_hide_the_count(keys):
    token = _credential(keys)
    payload = jose.parse(token.split("~")[0])[1]
    assert len(payload["_sd"]) == 4 and "name" not in payload
    verified = _verify(keys, _present(keys, token))
    assert verified.disclosed == ["is_over_19"] and "name" not in verified.claims


def test_a_stale_or_future_key_binding_is_refused(keys):
    token = _credential(keys)
    assert _code(keys, _present(keys, token, iat=NOW - 3600)) == "stale_presentation"
    assert _code(keys, _present(keys, token, iat=NOW + 3600)) == "stale_presentation"


def test_a_credential_not_valid_yet_is_refused(keys):
    assert _code(keys, _present(keys, _credential(keys, nbf=NOW + 3600))) == "not_yet_valid"


def test_a_disclosure_sent_twice_is_refused(keys):
    token = _credential(keys)
    jwt, disclosures, _kb = sdjwt.split(token)
    twice = jwt + "~" + "".join(d + "~" for d in disclosures + disclosures[:1])
    holder_kb = jose.sign(
        header={"typ": "kb+jwt"},
        payload={"iat": NOW, "aud": "a", "nonce": "n", "sd_hash": sdjwt._digest(twice)},
        key=keys[1],
    )
    assert _code(keys, twice + holder_kb) == "tampered_disclosure"


def test_alg_none_and_hmac_tokens_are_refused(keys):
    token = _credential(keys)
    jwt = token.split("~")[0]
    _header, payload, _sig = jwt.split(".")
    for alg in ("none", "HS256"):
        forged = jose.json_b64({"alg": alg, "typ": "dc+sd-jwt", "kid": "k"}) + "." + payload + "."
        assert _code(keys, forged + "~") == "malformed"


def test_a_presentation_with_a_non_ascii_nonce_is_refused_not_crashed(keys):
    token = _credential(keys)
    presentation = sdjwt.present(
        sd_jwt=token, disclose=["name"], holder_key=keys[1], nonce="논스", audience="a", iat=NOW
    )
    assert _code(keys, presentation) == "wrong_nonce"


def test_reserved_claims_can_not_be_made_disclosable(keys):
    with pytest.raises(ValueError):
        sdjwt.issue(claims={"iss": "x", "exp": 1}, disclosable=["exp"], key=keys[0], kid="k")
