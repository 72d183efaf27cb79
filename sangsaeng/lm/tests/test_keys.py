"""API keys: shown once and stored hashed, revocable, limited (rate, concurrency, monthly quota)."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from sangsaeng.core.errors import Problem
from sangsaeng.lm import limits
from sangsaeng.lm.models import ApiKey, UsageDay
from sangsaeng.lm.services import access_key, key_authenticate, key_create, key_revoke, usage_record
from sangsaeng.lm.tests.conftest import error_of, v1_post

MODEL = "sangsaeng-ko-mini"
BODY = {"model": MODEL, "prompt": "국민은", "max_tokens": 2, "temperature": 0}


def test_only_the_hash_is_stored(alice):
    created = key_create(owner=alice, label="앱", partner="상생마켓")
    stored = ApiKey.objects.get()
    assert created.secret.startswith("sk-ss-") and len(created.secret) > 40
    assert stored.key_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in str(stored.__dict__)
    assert stored.partner == "상생마켓"
    assert key_authenticate(secret=created.secret) == stored
    assert key_authenticate(secret=created.secret[:-1] + "x") is None


def test_a_missing_or_wrong_key_is_401_invalid_api_key(client, db):
    for headers in ({}, {"Authorization": "Bearer sk-ss-nope"}, {"Authorization": "Basic abc"}):
        response = client.post("/v1/completions", BODY, content_type="application/json", headers=headers)
        assert response.status_code == 401
        assert error_of(response)["code"] == "invalid_api_key"


def test_a_revoked_key_is_401(client, alice, alice_key):
    key_revoke(actor=alice, key_id=alice_key.key.public_id)
    response = v1_post(client, "completions", BODY, alice_key.secret)
    assert response.status_code == 401
    assert error_of(response) | {"message": ""} == {
        "message": "",
        "type": "invalid_request_error",
        "param": None,
        "code": "invalid_api_key",
    }
    assert client.get("/v1/models", headers={"Authorization": f"Bearer {alice_key.secret}"}).status_code == 401


def test_another_user_cannot_revoke_or_see_a_key(alice, bob, alice_key):
    with pytest.raises(Problem) as refused:
        key_revoke(actor=bob, key_id=alice_key.key.public_id)
    assert refused.value.status == 404
    with pytest.raises(Problem):
        access_key(actor=bob, key_id=alice_key.key.public_id)
    alice_key.key.refresh_from_db()
    assert alice_key.key.revoked_at is None


def test_an_exhausted_monthly_quota_is_429_insufficient_quota(client, lm_local, alice):
    created = key_create(owner=alice, label="작은 한도", monthly_token_quota=100)
    usage_record(key=created.key, prompt_tokens=60, completion_tokens=40)
    response = v1_post(client, "completions", BODY, created.secret)
    assert response.status_code == 429
    assert error_of(response) | {"message": ""} == {
        "message": "",
        "type": "insufficient_quota",
        "param": None,
        "code": "insufficient_quota",
    }
    assert UsageDay.objects.get().requests == 1


def test_the_rate_limit_is_429_rate_limit_exceeded(client, lm_local, alice):
    created = key_create(owner=alice, label="느린 키", requests_per_minute=2)
    assert v1_post(client, "completions", BODY, created.secret).status_code == 200
    assert v1_post(client, "completions", BODY, created.secret).status_code == 200
    response = v1_post(client, "completions", BODY, created.secret)
    assert response.status_code == 429
    assert error_of(response)["code"] == "rate_limit_exceeded"
    assert int(response["Retry-After"]) >= 1
    assert UsageDay.objects.get().requests == 2


def test_the_concurrency_cap_refuses_the_request_over_it(alice):
    created = key_create(owner=alice, label="하나씩", max_concurrent=1)
    limits.admit(key=created.key)
    with pytest.raises(limits.LimitExceeded) as refused:
        limits.admit(key=created.key)
    assert refused.value.kind == "rate_limit_exceeded"
    limits.release(key=created.key)
    limits.admit(key=created.key)  # the slot is free again


def test_invalid_limits_are_refused(alice):
    with pytest.raises(Problem) as refused:
        key_create(owner=alice, label="x", monthly_token_quota=0)
    assert refused.value.field == "monthly_token_quota"
    with pytest.raises(Problem):
        key_create(owner=alice, label="  ")
    assert not ApiKey.objects.exists()


def test_the_cli_prints_a_working_key(alice):
    out = StringIO()
    call_command("lm", "keys", "create", "--email", alice.email, "--quota", "5000", stdout=out)
    secret = out.getvalue().strip()
    key = key_authenticate(secret=secret)
    assert key is not None and key.owner == alice and key.monthly_token_quota == 5000
