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


def test_actions_are_confirmed_once_through_the_api(api_alice, api_bob, alice, mom, mom_chat):
    from sangsaeng.assistant.tests.conftest import chat_texts

    asked = api_alice.post("/api/v1/assistant/ask", {"message": "엄마한테 '오늘 늦어요' 메시지 써줘"}).json()
    action_id = asked["calls"][0]["data"]["rows"][0]["action_id"]
    assert api_alice.get("/api/v1/assistant/actions?open_only=true").json()[0]["status"] == "pending"
    # another user: 404 on every route, and nothing changes
    for path in (f"/actions/{action_id}/confirm", f"/actions/{action_id}/cancel"):
        refused = api_bob.post(f"/api/v1/assistant{path}")
        assert refused.status_code == 404 and refused["Content-Type"] == "application/problem+json"
    assert api_bob.get(f"/api/v1/assistant/actions/{action_id}").status_code == 404
    assert api_bob.get("/api/v1/assistant/actions").json() == []
    assert api_alice.get(f"/api/v1/assistant/actions/{action_id}").json()["status"] == "pending"
    assert chat_texts(alice, mom_chat.public_id) == []
    # the owner confirms: sent; again: 409 with a stable code, still one message
    confirmed = api_alice.post(f"/api/v1/assistant/actions/{action_id}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "sent"
    again = api_alice.post(f"/api/v1/assistant/actions/{action_id}/confirm")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert again.json()["code"] == "action_already_confirmed"
    cancel = api_alice.post(f"/api/v1/assistant/actions/{action_id}/cancel")
    assert cancel.status_code == 409 and cancel.json()["code"] == "action_done"
    assert chat_texts(mom, mom_chat.public_id) == [("alice@example.com", "오늘 늦어요")]
    assert api_alice.post("/api/v1/assistant/actions/not-a-uuid/confirm").status_code in (404, 422)


def test_a_cancelled_action_cannot_be_confirmed_through_the_api(api_alice, alice):
    asked = api_alice.post("/api/v1/assistant/ask", {"message": "내일 오후 3시에 치과 예약 알려줘"}).json()
    action_id = asked["calls"][0]["data"]["rows"][0]["action_id"]
    assert api_alice.post(f"/api/v1/assistant/actions/{action_id}/cancel").json()["status"] == "cancelled"
    refused = api_alice.post(f"/api/v1/assistant/actions/{action_id}/confirm")
    assert refused.status_code == 409 and refused.json()["code"] == "action_cancelled"
    assert api_alice.get("/api/v1/assistant/actions?open_only=true").json() == []


def test_the_page_lists_pending_actions_with_confirm_and_cancel(client, alice, bob, mom_chat):
    from sangsaeng.assistant.models import Action

    client.force_login(alice)
    page = client.post("/assistant/", {"message": "엄마한테 '오늘 늦어요' 메시지 써줘", "persona": "secretary"})
    action = Action.objects.get(user=alice)
    html = page.content.decode()
    assert f"/assistant/actions/{action.public_id}/confirm" in html and "오늘 늦어요" in html
    client.force_login(bob)
    assert client.post(f"/assistant/actions/{action.public_id}/confirm").status_code == 404
    assert client.post(f"/assistant/actions/{action.public_id}/cancel").status_code == 404
    action.refresh_from_db()
    assert action.status == "pending"
    client.force_login(alice)
    assert client.post(f"/assistant/actions/{action.public_id}/confirm").status_code == 302
    action.refresh_from_db()
    assert action.status == "sent"
    after = client.post(f"/assistant/actions/{action.public_id}/confirm", follow=True)
    assert "이미 확인한 요청이에요" in after.content.decode()


def test_the_page_opens_the_chat_with_the_assistant(client, alice):
    client.force_login(alice)
    response = client.post("/assistant/chat")
    assert response.status_code == 302 and response["Location"].startswith("/chat/c/")
    assert client.get(response["Location"]).status_code == 200
