"""Chat pages render for members; another user gets 404 and changes nothing."""

import pytest

from sangsaeng.messaging import services
from sangsaeng.messaging.models import Member, Message, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(alice, bob):
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    message = services.message_post(
        actor=alice, conversation_id=conversation.public_id, text="자료 https://example.org/doc"
    )
    return conversation, message


def test_member_pages_render(client, alice, chat):
    conversation, _message = chat
    client.force_login(alice)
    home = client.get("/chat/")
    assert home.status_code == 200 and "밥" in home.content.decode()
    room = client.get(f"/chat/c/{conversation.public_id}/")
    assert room.status_code == 200 and 'data-ws-url="ws://' in room.content.decode()
    assert "https://example.org/doc" in client.get("/chat/links/").content.decode()
    assert client.get("/chat/backup/").status_code == 200
    assert client.get("/chat/blocks/").status_code == 200


def test_unread_badges_show_on_the_list(client, bob, chat):
    client.force_login(bob)
    assert 'data-testid="unread">1<' in client.get("/chat/").content.decode()


def test_another_user_gets_404_on_conversation_pages_and_nothing_changes(client, charlie, chat):
    conversation, message = chat
    client.force_login(charlie)
    assert client.get(f"/chat/c/{conversation.public_id}/").status_code == 404
    assert client.get(f"/chat/m/{message.public_id}/media").status_code == 404
    assert client.post(f"/chat/c/{conversation.public_id}/leave").status_code == 404
    assert client.post(f"/chat/c/{conversation.public_id}/invite", {"user": "charlie@example.com"}).status_code == 404
    assert Member.objects.filter(conversation=conversation, left_at__isnull=True).count() == 2
    assert Message.objects.count() == 1


def test_only_operators_see_the_report_queue(client, alice, bob, chat):
    _conversation, message = chat
    services.message_report(actor=bob, message_id=message.public_id, reason="광고")
    client.force_login(alice)
    assert client.get("/chat/reports/").status_code == 404
    bob.is_staff = True
    bob.save(update_fields=["is_staff"])
    client.force_login(bob)
    assert "광고" in client.get("/chat/reports/").content.decode()
    report = Report.objects.get()
    client.post("/chat/reports/", {"report": str(report.public_id)})
    report.refresh_from_db()
    assert report.status == "resolved"


def test_the_demo_builds_once(db):
    from sangsaeng.core.demo import builders

    for _ in range(2):
        for builder in builders():
            if builder.name in ("accounts", "business_cards", "identity", "messaging"):
                builder.build(lambda _line: None)
    from sangsaeng.accounts.selectors import user_get_by_email
    from sangsaeng.messaging.selectors import conversations_for

    demo = user_get_by_email(email="demo@sangsaeng.kr")
    assert demo is not None
    titles = sorted(c.display_title for c in conversations_for(demo))
    assert titles == ["이지은", "제주 워크숍 준비"]
    assert Message.objects.filter(kind="business_card").count() == 1
