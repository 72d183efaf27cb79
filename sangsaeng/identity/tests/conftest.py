from __future__ import annotations

import json
import time
from datetime import date

import pytest
from jwcrypto.jwk import JWK

from sangsaeng.identity import services

AUDIENCE = "https://shop.example"
NONCE = "n-0S6_WzA2Mj"


@pytest.fixture
def verified_alice(alice):
    services.identity_approve_in_person(user=alice, legal_name="김앨리스", birthdate=date(1990, 5, 17))
    return alice


@pytest.fixture
def holder_jwk():
    """The holder's own wallet key, made by the independent library."""
    return JWK.generate(kty="EC", crv="P-256")


def public_dict(jwk: JWK) -> dict:
    return json.loads(jwk.export_public())


def present_with_library(sd_jwt: str, disclose: set[str], jwk: JWK, *, nonce: str = NONCE, audience: str = AUDIENCE):
    """A presentation made by the sd-jwt reference library's holder, not by our code."""
    from sd_jwt.holder import SDJWTHolder

    holder = SDJWTHolder(sd_jwt)
    holder.create_presentation({name: True for name in disclose}, nonce, audience, jwk, "ES256")
    return holder.sd_jwt_presentation


def now() -> int:
    return int(time.time())
