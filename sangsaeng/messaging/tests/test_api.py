"""The /api/v1/messaging endpoints: success, bad input, and another user's access (404, nothing changes)."""

import pytest

from sangsaeng.messaging import services
from sangsaeng.messaging.models import Block, Conversation, Member, Message, Reaction, Report

pytestmark = pytest.mark.django_db
BASE = "/api/v1/messaging"


@pytest.fixture
def api_charlie(charlie):
    from conftest import ApiClient
    from sangsaeng.accounts.services import token_create

    _token, secret = token_create(user=charlie, label="test")
    return ApiClient(secret)


def test_open_a_direct_conversation_post_and_read_history(api_alice, api_bob, alice, bob):
    opened = api_alice.post(f"{BASE}/conversations/direct", {"user": "bob@example.com"})
    assert opened.status_code == 200
    conversation_id = opened.json()["id"]
    assert opened.json()["title"] == "밥"
    sent = api_alice.post(f"{BASE}/conversations/{conversation_id}/messages", {"text": "안녕하세요", "client_id": "a1"})
    assert sent.status_code == 201 and sent.json()["seq"] == 1
    again = api_alice.post(
        f"{BASE}/conversations/{conversation_id}/messages", {"text": "안녕하세요", "client_id": "a1"}
    )
    assert again.json()["id"] == sent.json()["id"]
    listed = api_bob.get(f"{BASE}/conversations")
    assert [(c["title"], c["unread"]) for c in listed.json()] == [("앨리스", 1)]
    history = api_bob.get(f"{BASE}/conversations/{conversation_id}/messages", {"after_seq": 0})
    assert [m["text"] for m in history.json()] == ["안녕하세요"]
    read = api_bob.post(f"{BASE}/conversations/{conversation_id}/read", {"seq": 1})
    assert read.json()["last_read_seq"] == 1
    assert api_bob.get(f"{BASE}/conversations").json()[0]["unread"] == 0


def test_groups_invites_and_roles_over_the_api(api_alice, api_bob, alice, bob, charlie):
    created = api_alice.post(f"{BASE}/conversations", {"title": "가족", "members": ["bob@example.com"]})
    assert created.status_code == 201
    group_id = created.json()["id"]
    refused = api_bob.post(f"{BASE}/conversations/{group_id}/members", {"user": "charlie@example.com"})
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    invited = api_alice.post(f"{BASE}/conversations/{group_id}/members", {"user": "charlie@example.com"})
    assert invited.status_code == 201 and invited.json()["role"] == "member"
    promoted = api_alice.patch(f"{BASE}/conversations/{group_id}/members/{bob.public_id}", {"role": "admin"})
    assert promoted.json()["role"] == "admin"
    assert api_bob.post(f"{BASE}/conversations/{group_id}/leave").status_code == 204
    assert api_bob.get(f"{BASE}/conversations/{group_id}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "가" * 4001}, 422, "message_too_long"),
        ({"kind": "sticker", "card": {"x": 1}}, 422, "unknown_kind"),
        ({"text": "x", "colour": "red"}, 422, "unknown_field"),
        ({"text": ""}, 422, "empty_message"),
        ({"kind": "business_card", "card": {"card_id": "00000000-0000-0000-0000-000000000000"}}, 404, "not_found"),
    ],
)
def test_bad_messages_get_problem_json_and_change_nothing(api_alice, alice, bob, body, status, code):
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    response = api_alice.post(f"{BASE}/conversations/{conversation.public_id}/messages", body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert Message.objects.count() == 0


def test_another_user_gets_404_everywhere_and_nothing_changes(api_charlie, alice, bob, charlie):
    # given a conversation between alice and bob with one message
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    message = services.message_post(actor=alice, conversation_id=conversation.public_id, text="우리끼리 얘기")
    cid, mid = conversation.public_id, message.public_id
    attempts = [
        ("get", f"{BASE}/conversations/{cid}", None),
        ("get", f"{BASE}/conversations/{cid}/messages", None),
        ("post", f"{BASE}/conversations/{cid}/messages", {"text": "끼어들기"}),
        ("post", f"{BASE}/conversations/{cid}/read", {"seq": 1}),
        ("post", f"{BASE}/conversations/{cid}/members", {"user": "charlie@example.com"}),
        ("post", f"{BASE}/conversations/{cid}/leave", None),
        ("patch", f"{BASE}/messages/{mid}", {"text": "고침"}),
        ("delete", f"{BASE}/messages/{mid}", None),
        ("post", f"{BASE}/messages/{mid}/reactions", {"emoji": "👍"}),
        ("post", f"{BASE}/messages/{mid}/report", {"reason": "스팸"}),
        ("post", f"{BASE}/messages/{mid}/card/save", None),
    ]
    # when charlie tries each
    for method, path, body in attempts:
        response = getattr(api_charlie, method)(path, body) if body is not None else getattr(api_charlie, method)(path)
        # then each is the same 404
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), path
    assert api_charlie.get(f"{BASE}/conversations").json() == []
    message.refresh_from_db()
    assert (message.text, message.deleted_at, message.edited_at) == ("우리끼리 얘기", None, None)
    assert Message.objects.count() == 1
    assert Reaction.objects.count() == Report.objects.count() == 0
    assert Member.objects.filter(conversation=conversation).count() == 2
    assert Member.objects.get(conversation=conversation, user=bob).last_read_seq == 0
    assert Conversation.objects.get(pk=conversation.pk).last_seq == 1


def test_reactions_reports_and_the_operator_queue(api_alice, api_bob, alice, bob, client):
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    message = services.message_post(actor=alice, conversation_id=conversation.public_id, text="광고 아님")
    reacted = api_bob.post(f"{BASE}/messages/{message.public_id}/reactions", {"emoji": "👍"})
    assert reacted.json()["reactions"] == {"👍": [str(bob.public_id)]}
    reported = api_bob.post(f"{BASE}/messages/{message.public_id}/report", {"reason": "스팸 광고"})
    assert reported.status_code == 201
    assert (
        api_bob.post(f"{BASE}/messages/{message.public_id}/report", {"reason": "또"}).json()["code"]
        == "already_reported"
    )
    assert api_bob.get(f"{BASE}/reports").json() == []
    bob.is_staff = True
    bob.save(update_fields=["is_staff"])
    [queued] = api_bob.get(f"{BASE}/reports").json()
    assert queued["reason"] == "스팸 광고" and queued["message"]["text"] == "광고 아님"


def test_a_blocked_user_cannot_open_a_direct_chat_or_message(api_alice, api_bob, alice, bob):
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    assert api_alice.post(f"{BASE}/blocks", {"user": "bob@example.com"}).status_code == 204
    assert Block.objects.filter(blocker=alice, blocked=bob).exists()
    refused = api_bob.post(f"{BASE}/conversations/{conversation.public_id}/messages", {"text": "왜 차단해요"})
    assert (refused.status_code, refused.json()["code"]) == (403, "blocked")
    assert api_bob.post(f"{BASE}/conversations/direct", {"user": "alice@example.com"}).json()["code"] == "blocked"
    assert Message.objects.count() == 0
    assert [b["name"] for b in api_alice.get(f"{BASE}/blocks").json()] == ["밥"]
    assert api_alice.post(f"{BASE}/blocks/remove", {"user": "bob@example.com"}).status_code == 204
    assert (
        api_bob.post(f"{BASE}/conversations/{conversation.public_id}/messages", {"text": "고마워요"}).status_code == 201
    )


def test_history_limits_are_checked(api_alice, alice, bob):
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    response = api_alice.get(f"{BASE}/conversations/{conversation.public_id}/messages", {"limit": 5000})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_field")


def test_links_shared_in_chat_are_collected(api_bob, alice, bob):
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    services.message_post(
        actor=alice, conversation_id=conversation.public_id, text="여기 봐요 https://example.com/a?b=1."
    )
    [link] = api_bob.get(f"{BASE}/links").json()
    assert link["url"] == "https://example.com/a?b=1" and link["sender_name"] == "앨리스"
