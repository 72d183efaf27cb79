"""Pages: the playground streams, the console creates (shown once) and revokes keys, usage lists days."""

from __future__ import annotations

import json
import re

from sangsaeng.lm.models import ApiKey
from sangsaeng.lm.services import key_authenticate, key_create, usage_record

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_pages_need_a_sign_in(client):
    for path in ("/lm/", "/lm/keys/", "/lm/usage/"):
        assert client.get(path).status_code == 302


def test_the_console_creates_a_key_and_shows_it_once(client, alice):
    client.force_login(alice)
    response = client.post(
        "/lm/keys/new",
        {"label": "내 앱", "partner": "", "requests_per_minute": 30, "max_concurrent": 2, "monthly_token_quota": 50000},
    )
    assert response.status_code == 302
    page = client.get("/lm/keys/").content.decode()
    found = re.search(r"sk-ss-[A-Za-z0-9_-]+", page)
    assert found is not None
    secret = found.group(0)
    key = key_authenticate(secret=secret)
    assert key is not None and (key.label, key.requests_per_minute, key.monthly_token_quota) == ("내 앱", 30, 50000)
    assert secret not in client.get("/lm/keys/").content.decode()


def test_bad_key_form_is_400_and_creates_nothing(client, alice):
    client.force_login(alice)
    response = client.post(
        "/lm/keys/new", {"label": "", "requests_per_minute": 0, "max_concurrent": 1, "monthly_token_quota": 1}
    )
    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_revoking_another_users_key_is_404_and_changes_nothing(client, alice, bob):
    key = key_create(owner=alice, label="앨리스").key
    client.force_login(bob)
    assert client.post(f"/lm/keys/{key.public_id}/revoke").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None
    client.force_login(alice)
    assert client.post(f"/lm/keys/{key.public_id}/revoke").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_usage_page_lists_only_my_keys(client, alice, bob):
    usage_record(key=key_create(owner=alice, label="앨리스 키").key, prompt_tokens=11, completion_tokens=22)
    usage_record(key=key_create(owner=bob, label="밥 키").key, prompt_tokens=1, completion_tokens=1)
    client.force_login(alice)
    page = client.get("/lm/usage/").content.decode()
    assert "앨리스 키" in page and "밥 키" not in page
    data = client.get("/lm/usage/?format=json").json()["data"]
    assert [(d["prompt_tokens"], d["completion_tokens"]) for d in data] == [(11, 22)]


def test_the_playground_streams_korean(client, lm_local, alice):
    client.force_login(alice)
    page = client.get("/lm/")
    assert page.status_code == 200
    assert b"playground.js" in page.content
    response = client.post(
        "/lm/generate",
        json.dumps({"mode": "completion", "prompt": "대한민국 헌법", "max_tokens": 16, "temperature": 0}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    events = b"".join(response.streaming_content).decode().split("\n\n")
    assert events[-2] == "data: [DONE]"
    text = "".join(json.loads(e[6:])["choices"][0]["text"] for e in events[:-2])
    assert HANGUL.search(text), text


def test_the_playground_refuses_bad_input_in_openai_shape(client, lm_local, alice):
    client.force_login(alice)
    response = client.post("/lm/generate", json.dumps({"messages": [{"role": "x"}]}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "messages[0].role"
