"""Phone verification by a code through the SMS outbox (files in var/outbox/sms/)."""

from __future__ import annotations

import json
import re

import pytest

from sangsaeng.core.errors import Problem
from sangsaeng.identity import selectors, services


@pytest.fixture
def sms_dir(settings, tmp_path):
    settings.IDENTITY_SMS_DIR = str(tmp_path / "sms")
    return tmp_path / "sms"


def _last_code(sms_dir) -> str:
    message = json.loads(sorted(sms_dir.glob("*.json"))[-1].read_text())
    match = re.search(r"\d{6}", message["text"])
    assert match is not None
    return match.group(0)


def test_a_code_goes_to_the_sms_outbox_and_verifies_the_phone(alice, sms_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.phone_code_send(user=alice, phone="01012345678")
    (message,) = [json.loads(p.read_text()) for p in sms_dir.glob("*.json")]
    assert message["to"] == "010-1234-5678"
    assert selectors.verified_phone(user=alice) == ""
    assert services.phone_code_confirm(user=alice, code=_last_code(sms_dir)) == "010-1234-5678"
    alice.refresh_from_db()
    assert selectors.verified_phone(user=alice) == "010-1234-5678"


def test_a_used_code_is_refused(alice, sms_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.phone_code_send(user=alice, phone="010-1234-5678")
    code = _last_code(sms_dir)
    services.phone_code_confirm(user=alice, code=code)
    with pytest.raises(Problem) as refused:
        services.phone_code_confirm(user=alice, code=code)
    assert refused.value.code == "code_used"


def test_wrong_codes_count_and_lock_after_five(alice, sms_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.phone_code_send(user=alice, phone="010-1234-5678")
    code = _last_code(sms_dir)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(Problem) as refused:
            services.phone_code_confirm(user=alice, code=wrong)
        assert refused.value.code == "code_wrong"
    with pytest.raises(Problem) as locked:
        services.phone_code_confirm(user=alice, code=code)
    assert locked.value.code == "code_expired"


def test_the_phone_api_sends_and_confirms(api_alice, alice, sms_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_alice.post("/api/v1/identity/phone", {"phone": "010-9876-5432"})
    assert response.status_code == 202
    response = api_alice.post("/api/v1/identity/phone/confirm", {"code": _last_code(sms_dir)})
    assert response.json() == {"phone": "010-9876-5432"}
    assert api_alice.get("/api/v1/identity/status").json()["phone_verified"] == "010-9876-5432"


def test_a_landline_is_refused(alice, sms_dir):
    with pytest.raises(Problem) as refused:
        services.phone_code_send(user=alice, phone="02-123-4567")
    assert refused.value.code == "invalid_phone"
    assert not sms_dir.exists()
