"""The over-19 gate the stores call: only is_over_19=true, disclosed alone, for this nonce and audience."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from sangsaeng.identity import jose, sdjwt, services
from sangsaeng.identity.credentials import age_on
from sangsaeng.identity.tests.conftest import AUDIENCE, NONCE


def _proof(user, disclose=("is_over_19",), nonce=NONCE):
    return services.presentation_create(actor=user, disclose=list(disclose), nonce=nonce, audience=AUDIENCE)


def test_an_adult_passes_with_only_the_boolean_disclosed(verified_alice):
    services.credential_issue(user=verified_alice)
    assert services.age_proof_verify(presentation=_proof(verified_alice), nonce=NONCE, audience=AUDIENCE) is True


def test_a_minor_does_not_pass(bob):
    birthdate = timezone.localdate() - timedelta(days=365 * 17)
    services.identity_approve_in_person(user=bob, legal_name="김밥", birthdate=birthdate)
    services.credential_issue(user=bob)
    assert services.age_proof_verify(presentation=_proof(bob), nonce=NONCE, audience=AUDIENCE) is False


def test_a_proof_that_reveals_more_than_needed_is_refused(verified_alice):
    services.credential_issue(user=verified_alice)
    proof = _proof(verified_alice, disclose=("is_over_19", "birthdate"))
    assert services.age_proof_verify(presentation=proof, nonce=NONCE, audience=AUDIENCE) is False


def test_a_proof_for_another_checkout_is_refused(verified_alice):
    services.credential_issue(user=verified_alice)
    proof = _proof(verified_alice, nonce="another-checkout")
    assert services.age_proof_verify(presentation=proof, nonce=NONCE, audience=AUDIENCE) is False
    assert services.age_proof_verify(presentation="garbage", nonce=NONCE, audience=AUDIENCE) is False


def test_age_counts_full_years_on_the_birthday():
    assert age_on(date(2007, 11, 29), date(2026, 11, 28)) == 18
    assert age_on(date(2007, 11, 29), date(2026, 11, 29)) == 19


def test_a_minors_credential_expires_on_the_nineteenth_birthday(bob):
    # given someone who turns 19 on 10 March 2027, issued a credential in January 2027
    services.identity_approve_in_person(user=bob, legal_name="김밥", birthdate=date(2008, 3, 10))
    issued_at = datetime(2027, 1, 15, 3, 0, tzinfo=UTC)
    credential, token = services.credential_issue(user=bob, now=issued_at)
    # then `is_over_19: false` lasts only until that birthday (midnight in Seoul)
    assert timezone.localtime(credential.expires_at).replace(tzinfo=None) == datetime(2027, 3, 10)
    opened = [json.loads(jose.b64d(d)) for d in sdjwt.split(token)[1]]
    assert [value for _salt, name, value in opened if name == "is_over_19"] == [False]
    # and an adult's credential keeps the full lifetime
    services.identity_approve_in_person(user=bob, legal_name="김밥", birthdate=date(1990, 1, 1))
    adult, _ = services.credential_issue(user=bob, now=issued_at)
    assert adult.expires_at == issued_at + timedelta(days=365)


def test_a_store_nonce_is_good_once_and_only_for_its_audience(verified_alice):
    services.credential_issue(user=verified_alice)
    nonce = services.verifier_nonce_issue(audience=AUDIENCE)
    proof = _proof(verified_alice, nonce=nonce)
    assert services.age_proof_verify(presentation=proof, nonce=nonce, audience=AUDIENCE) is True
    assert services.verifier_nonce_consume(nonce=nonce, audience="https://other.example") is False
    other = services.verifier_nonce_issue(audience=AUDIENCE)
    assert services.verifier_nonce_consume(nonce=other, audience=AUDIENCE) is True
    assert services.verifier_nonce_consume(nonce=other, audience=AUDIENCE) is False
