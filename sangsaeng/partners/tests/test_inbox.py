"""The shared inbox over messaging's channel conversations."""

from __future__ import annotations

import pytest

from sangsaeng.core.errors import Problem
from sangsaeng.messaging import selectors as messaging_selectors
from sangsaeng.messaging import services as messaging
from sangsaeng.partners import selectors, services
from sangsaeng.partners.models import InboxThread

API = "/api/v1/partners"


@pytest.fixture
def thread(bob, channel):
    return services.thread_open(customer=bob, channel_id=channel.public_id)


def _texts(actor, thread):
    return [m.text for m in messaging_selectors.messages_for(actor=actor, conversation_id=thread.conversation_id)]


def test_a_customer_opens_a_chat_once_and_staff_answer_as_the_channel(alice, bob, channel, thread):
    assert services.thread_open(customer=bob, channel_id=channel.public_id).pk == thread.pk
    messaging.message_post(actor=bob, conversation_id=thread.conversation_id, text="배송 언제 되나요?")
    services.thread_reply(actor=alice, thread_id=thread.public_id, text="내일 도착합니다.")
    assert _texts(bob, thread) == ["배송 언제 되나요?", "내일 도착합니다."]
    thread.refresh_from_db()
    assert thread.assignee == alice and thread.last_preview == "내일 도착합니다."


def test_a_customer_message_reopens_a_done_thread_and_moves_it_up(alice, bob, channel, thread):
    services.thread_status_set(actor=alice, thread_id=thread.public_id, status="done")
    messaging.message_post(actor=bob, conversation_id=thread.conversation_id, text="하나 더 물어볼게요")
    [listed] = selectors.inbox_list(actor=alice, channel_id=channel.public_id)
    assert (listed.status, listed.last_preview) == ("open", "하나 더 물어볼게요")


def test_assignment_is_to_staff_only(alice, bob, charlie, channel, thread):
    services.staff_invite(actor=alice, channel_id=channel.public_id, email=charlie.email, role="agent")
    assert (
        services.thread_assign(actor=alice, thread_id=thread.public_id, assignee_id=charlie.public_id).assignee
        == charlie
    )
    with pytest.raises(Problem) as err:
        services.thread_assign(actor=alice, thread_id=thread.public_id, assignee_id=bob.public_id)
    assert err.value.code == "assignee_not_staff"
    thread.refresh_from_db()
    assert thread.assignee == charlie


def test_staff_changes_reach_the_conversations(alice, bob, charlie, channel, thread):
    # a new agent can read the chat; once removed they can't, and lose their assignment
    row = services.staff_invite(actor=alice, channel_id=channel.public_id, email=charlie.email, role="agent")
    services.thread_assign(actor=alice, thread_id=thread.public_id, assignee_id=charlie.public_id)
    messaging.message_post(actor=bob, conversation_id=thread.conversation_id, text="안녕하세요")
    assert _texts(charlie, thread) == ["안녕하세요"]
    services.staff_remove(actor=alice, channel_id=channel.public_id, staff_id=row.public_id)
    with pytest.raises(Problem):
        messaging_selectors.messages_for(actor=charlie, conversation_id=thread.conversation_id)
    thread.refresh_from_db()
    assert thread.assignee is None


def test_order_notifications_go_from_the_channel(alice, charlie, channel):
    services.channel_message_customer(channel_id=channel.public_id, customer=charlie, text="주문이 발송되었습니다.")
    thread = InboxThread.objects.get(channel=channel, customer=charlie)
    assert _texts(charlie, thread) == ["주문이 발송되었습니다."]


def test_staff_cannot_open_a_customer_chat_with_their_own_channel(alice, channel):
    with pytest.raises(Problem) as err:
        services.thread_open(customer=alice, channel_id=channel.public_id)
    assert err.value.code == "own_channel"


def test_the_inbox_api_and_another_users_404(api_alice, api_bob, bob, alice, channel):
    opened = api_bob.post(f"{API}/channels/{channel.public_id}/chat").json()
    threads = api_alice.get(f"{API}/channels/{channel.public_id}/inbox").json()
    assert [t["id"] for t in threads] == [opened["id"]]
    answer = api_alice.post(f"{API}/inbox/{opened['id']}/status", {"status": "done"})
    assert answer.json()["status"] == "done"
    answer = api_alice.post(f"{API}/inbox/{opened['id']}/assign", {"assignee_id": str(alice.public_id)})
    assert answer.json()["assignee_id"] == str(alice.public_id)
    assert api_alice.post(f"{API}/inbox/{opened['id']}/reply", {"text": "안녕하세요"}).status_code == 201
    # the customer is not staff: every inbox endpoint is a 404 and nothing changes
    for url, data in (
        (f"{API}/inbox/{opened['id']}/status", {"status": "open"}),
        (f"{API}/inbox/{opened['id']}/assign", {"assignee_id": None}),
        (f"{API}/inbox/{opened['id']}/reply", {"text": "관리자 사칭"}),
    ):
        answer = api_bob.post(url, data)
        assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    thread = InboxThread.objects.get()
    assert (thread.status, thread.assignee) == ("done", alice)
    assert api_alice.post(f"{API}/inbox/{opened['id']}/status", {"status": "later"}).status_code == 422


def test_the_console_thread_page(alice, bob, channel, thread, client):
    messaging.message_post(actor=bob, conversation_id=thread.conversation_id, text="문의드립니다")
    client.force_login(alice)
    page = client.get(f"/partners/{channel.public_id}/inbox/")
    assert "문의드립니다" in page.content.decode()
    client.post(f"/partners/{channel.public_id}/inbox/{thread.public_id}/", {"text": "네, 말씀하세요"})
    assert _texts(bob, thread)[-1] == "네, 말씀하세요"
    client.force_login(bob)
    assert client.get(f"/partners/{channel.public_id}/inbox/{thread.public_id}/").status_code == 404
