"""The provider interface: a carrier-style check plugs in through IDENTITY_PROVIDERS."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from typing import Any

import pytest

from sangsaeng.core.errors import Problem
from sangsaeng.identity import selectors, services
from sangsaeng.identity.models import VerifiedIdentity
from sangsaeng.identity.providers import ProviderResult, providers

SECRET = b"carrier-shared-secret"


class CarrierProvider:
    """What a PASS-style carrier integration looks like: a redirect out, a signed callback back."""

    name = "test_carrier"
    label = "통신사 본인확인"

    def start(self, *, user: Any, return_url: str) -> str:
        return f"https://carrier.example/auth?return={return_url}&ref={user.public_id}"

    def complete(self, *, user: Any, params: dict[str, str]) -> ProviderResult:
        body = f"{params['name']}|{params['birthdate']}|{params['phone']}".encode()
        expected = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, params["sig"]):
            raise Problem(
                code="provider_refused",
                ko="본인확인 응답이 올바르지 않습니다.",
                en="The provider's answer is not valid.",
            )
        return ProviderResult(
            legal_name=params["name"],
            birthdate=date.fromisoformat(params["birthdate"]),
            phone=params["phone"],
            reference="tx-1",
        )


@pytest.fixture
def carrier(settings):
    settings.IDENTITY_PROVIDERS = [f"{__name__}.CarrierProvider"]
    providers.cache_clear()
    yield providers()["test_carrier"]
    providers.cache_clear()


def _signed(name: str, birthdate: str, phone: str) -> dict[str, str]:
    sig = hmac.new(SECRET, f"{name}|{birthdate}|{phone}".encode(), hashlib.sha256).hexdigest()
    return {"name": name, "birthdate": birthdate, "phone": phone, "sig": sig}


def test_a_provider_verifies_identity_and_phone(carrier, alice):
    assert carrier.start(user=alice, return_url="/identity/").startswith("https://carrier.example/auth")
    result = carrier.complete(user=alice, params=_signed("김앨리스", "1990-05-17", "01055556666"))
    services.identity_record_from_provider(user=alice, provider=carrier.name, result=result)
    identity = VerifiedIdentity.objects.get(user=alice)
    assert (identity.legal_name, identity.method) == ("김앨리스", "provider:test_carrier")
    alice.refresh_from_db()
    assert selectors.verified_phone(user=alice) == "010-5555-6666"
    _credential, token = services.credential_issue(user=alice)
    assert token.count("~") == 5  # name, birthdate, is_over_19 and phone_number disclosures


def test_a_forged_provider_answer_records_nothing(carrier, alice):
    params = {**_signed("김앨리스", "1990-05-17", "01055556666"), "name": "다른사람"}
    with pytest.raises(Problem):
        carrier.complete(user=alice, params=params)
    assert not VerifiedIdentity.objects.exists()
