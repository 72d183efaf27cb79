"""Reminders and drafts: proposed by the assistant, carried out only after the owner confirms."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest

from sangsaeng.assistant import actions, chat, loop, services
from sangsaeng.assistant.models import Action, AuditEntry
from sangsaeng.assistant.tests.conftest import chat_texts
from sangsaeng.core.errors import Problem

NOW = datetime(2026, 11, 30, 16, 0, tzinfo=timezone(timedelta(hours=9)))
DRAFT = "엄마한테 '오늘 늦어요' 메시지 써줘"
REMINDER = "내일 오후 3시에 치과 예약 알려줘"


def _proposed(user, message, now=NOW) -> Action:
    answer = loop.ask(user=user, message=message, now=now)
    assert "error" not in answer.results[0], answer.results
    return Action.objects.get(public_id=answer.results[0]["data"]["rows"][0]["action_id"])


def test_a_draft_is_sent_as_the_user_only_after_confirming(alice, mom, mom_chat):
    # given a draft the assistant proposed
    action = _proposed(alice, DRAFT)
    assert (action.kind, action.status, action.text, action.target) == ("draft", "pending", "오늘 늦어요", "엄마")
    assert chat_texts(alice, mom_chat.public_id) == []
    # when alice confirms it
    done = services.action_confirm(actor=alice, action_id=action.public_id, now=NOW + timedelta(minutes=1))
    # then it is sent in her conversation with 엄마, as her, once
    assert done.status == "sent" and done.message_id is not None
    assert chat_texts(mom, mom_chat.public_id) == [("alice@example.com", "오늘 늦어요")]
    assert AuditEntry.objects.filter(user=alice, tool="draft.confirm", ok=True).count() == 1


def test_confirming_twice_is_a_conflict_and_sends_once(alice, mom_chat):
    action = _proposed(alice, DRAFT)
    services.action_confirm(actor=alice, action_id=action.public_id, now=NOW)
    with pytest.raises(Problem) as caught:
        services.action_confirm(actor=alice, action_id=action.public_id, now=NOW)
    assert (caught.value.status, caught.value.code) == (409, "action_already_confirmed")
    assert len(chat_texts(alice, mom_chat.public_id)) == 1


def test_another_users_action_is_not_found_and_unchanged(alice, bob, mom_chat):
    action = _proposed(alice, DRAFT)
    for decide in (services.action_confirm, services.action_cancel):
        with pytest.raises(Problem) as caught:
            decide(actor=bob, action_id=action.public_id, now=NOW)
        assert caught.value.status == 404
    action.refresh_from_db()
    assert action.status == "pending" and action.decided_at is None
    assert chat_texts(alice, mom_chat.public_id) == []
    assert not AuditEntry.objects.filter(tool__endswith=".confirm").exists()


def test_cancelled_and_expired_actions_cannot_be_confirmed(alice, mom_chat):
    cancelled = _proposed(alice, DRAFT)
    services.action_cancel(actor=alice, action_id=cancelled.public_id, now=NOW)
    with pytest.raises(Problem) as caught:
        services.action_confirm(actor=alice, action_id=cancelled.public_id, now=NOW)
    assert (caught.value.status, caught.value.code) == (409, "action_cancelled")

    stale = _proposed(alice, DRAFT)
    later = NOW + timedelta(hours=24, seconds=1)
    with pytest.raises(Problem) as caught:
        services.action_confirm(actor=alice, action_id=stale.public_id, now=later)
    assert (caught.value.status, caught.value.code) == (409, "action_expired")
    assert actions.actions_expire(now=later) == 1
    stale.refresh_from_db()
    assert stale.status == "expired"
    with pytest.raises(Problem) as caught:
        services.action_cancel(actor=alice, action_id=stale.public_id, now=later)
    assert caught.value.code == "action_expired"
    assert chat_texts(alice, mom_chat.public_id) == []


def test_a_confirmed_reminder_is_sent_in_chat_when_due_and_only_once(alice):
    action = _proposed(alice, REMINDER)
    due = datetime(2026, 12, 1, 15, 0, tzinfo=NOW.tzinfo)
    assert (action.kind, action.text, action.due_at) == ("reminder", "치과 예약", due)
    # not confirmed: never sent, even when due
    assert actions.reminders_send_due(now=due) == 0
    services.action_confirm(actor=alice, action_id=action.public_id, now=NOW)
    assert actions.reminders_send_due(now=due - timedelta(minutes=1)) == 0
    # due: the assistant posts it into alice's 1:1 with it
    assert services.assistant_sweep(now=due)["reminders_sent"] == 1
    assert actions.reminders_send_due(now=due + timedelta(minutes=5)) == 0
    action.refresh_from_db()
    assert action.status == "sent" and action.sent_at == due
    texts = chat_texts(alice, chat.conversation_for(user=alice))
    assert texts[-1] == (chat.bot_user().email, "⏰ 알림: 치과 예약\n(12월 1일 (화) 오후 3:00에 맞춰 둔 알림이에요)")
    assert len(texts) == 2  # the greeting, then the reminder


def test_a_cancelled_reminder_never_goes_out(alice):
    action = _proposed(alice, REMINDER)
    services.action_confirm(actor=alice, action_id=action.public_id, now=NOW)
    services.action_cancel(actor=alice, action_id=action.public_id, now=NOW)
    assert actions.reminders_send_due(now=datetime(2026, 12, 2, tzinfo=NOW.tzinfo)) == 0
    assert chat.bot_user(create=False) is None  # no chat was ever needed


def test_a_reminder_in_the_past_or_a_draft_to_nobody_proposes_nothing(alice, mom, bob):
    answer = loop.ask(user=alice, message="오늘 오후 3시에 치과 알려줘", now=NOW)
    assert answer.results[0].get("error") and "지난 시간" in answer.text
    answer = loop.ask(user=alice, message="철수한테 '안녕' 메시지 써줘", now=NOW)
    assert "대화방을 찾지 못했어요" in answer.text
    from sangsaeng.messaging.services import conversation_direct_open

    conversation_direct_open(actor=alice, other=mom)
    conversation_direct_open(actor=alice, other=bob)
    answer = loop.ask(user=alice, message="엄마한테 메시지 써줘", now=NOW)
    assert "어떤 내용을" in answer.text
    assert not Action.objects.exists()


def test_the_chat_card_confirms_for_its_owner_only(alice, bob, mom, mom_chat, api_alice, api_bob):
    from sangsaeng.messaging.services import message_post

    action = _proposed(alice, DRAFT, now=datetime.now(tz=NOW.tzinfo))
    room = chat.conversation_for(user=alice)
    card = chat.assistant_say(conversation_id=room, card=chat.action_card(actions.action_dict(action)), client_id="t")
    assert api_bob.post(f"/api/v1/messaging/messages/{card.public_id}/card/save").status_code == 404
    assert Action.objects.get(pk=action.pk).status == "pending"
    response = api_alice.post(f"/api/v1/messaging/messages/{card.public_id}/card/save")
    assert response.status_code == 200 and response.json() == {"result": "confirmed"}
    assert chat_texts(mom, mom_chat.public_id) == [("alice@example.com", "오늘 늦어요")]
    # nobody but the assistant can post such a card
    with pytest.raises(Problem) as caught:
        message_post(actor=alice, conversation_id=UUID(room), kind=chat.CARD_KIND, card={"action_id": "x"})
    assert caught.value.code == "invalid_card"


def test_the_worker_runs_the_sweep():
    from sangsaeng.core import periodic

    assert periodic._JOBS["assistant_actions"] is services.assistant_sweep
