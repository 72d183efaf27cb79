"""/api/v1/assistant and the chat page."""

from __future__ import annotations

from sangsaeng.assistant.models import Turn


def test_ask_history_and_delete(api_alice, api_bob, alice_book):
    response = api_alice.post("/api/v1/assistant/ask", {"message": "김민준 님 명함 찾아줘"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["calls"][0]["tool"] == "find_card" and body["calls"][0]["ok"]
    assert "한빛상사" in body["answer"]
    assert len(api_alice.get("/api/v1/assistant/history").json()) == 1
    assert api_bob.get("/api/v1/assistant/history").json() == []
    assert api_bob.delete("/api/v1/assistant/history").status_code == 204
    assert Turn.objects.count() == 1
    assert api_alice.delete("/api/v1/assistant/history").status_code == 204
    assert api_alice.get("/api/v1/assistant/history").json() == []


def test_bad_input_gets_korean_problems(api_alice):
    empty = api_alice.post("/api/v1/assistant/ask", {"message": "  "})
    assert empty.status_code == 400 and empty.json()["code"] == "empty_message"
    long = api_alice.post("/api/v1/assistant/ask", {"message": "가" * 3000})
    assert long.status_code == 400 and long.json()["code"] == "message_too_long"
    persona = api_alice.post("/api/v1/assistant/ask", {"message": "안녕", "persona": "lawyer"})
    assert persona.status_code == 400 and persona.json()["code"] == "unknown_persona"
    assert api_alice.put("/api/v1/assistant/settings", {"retention_days": -1}).status_code in (400, 422)


def test_retention_setting(api_alice):
    assert api_alice.get("/api/v1/assistant/settings").json() == {"retention_days": 30}
    assert api_alice.put("/api/v1/assistant/settings", {"retention_days": 0}).json() == {"retention_days": 0}
    api_alice.post("/api/v1/assistant/ask", {"message": "안녕하세요"})
    assert api_alice.get("/api/v1/assistant/history").json() == []


def test_anonymous_is_refused(anon_api):
    assert anon_api.post("/api/v1/assistant/ask", {"message": "안녕"}).status_code == 401


def test_chat_page(client, alice, alice_book):
    client.force_login(alice)
    page = client.get("/assistant/")
    assert page.status_code == 200 and "비서" in page.content.decode()
    reply = client.post("/assistant/", {"message": "김민준 님 명함 찾아줘", "persona": "secretary"})
    assert reply.status_code == 200 and "010-1234-5678" in reply.content.decode()
    bad = client.post("/assistant/", {"message": "안녕", "persona": "lawyer"})
    assert bad.status_code == 400 and "페르소나" in bad.content.decode()
    assert client.post("/assistant/forget").status_code == 302
    assert not Turn.objects.filter(user=alice).exists()


def test_asking_is_rate_limited(api_alice, settings):
    settings.ASSISTANT_ASKS_PER_MINUTE = 2
    codes = [api_alice.post("/api/v1/assistant/ask", {"message": "안녕하세요"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
