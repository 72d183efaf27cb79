"""The assistant's demo builder: turns, a pending reminder and a chat for the demo user, added once."""

from __future__ import annotations

from sangsaeng.accounts.services import user_create
from sangsaeng.assistant import actions, chat, demo, memory
from sangsaeng.assistant.tests.conftest import chat_texts


def test_demo_is_added_once(db):
    user = user_create(email=demo.DEMO_EMAIL, password="correct-horse-battery-staple", verified=True)
    said: list[str] = []
    demo.build(said.append)
    demo.build(said.append)
    turns = memory.history(user=user)
    assert [t.persona for t in turns] == ["secretary", "doctor", "secretary"]
    assert "진단이나 처방이 아닙니다" in turns[1].answer
    assert [(a.kind, a.status) for a in actions.actions_list(user=user)] == [("reminder", "pending")]
    # the question in the chat waits for the worker (its outbox event runs after the commit)
    assert chat_texts(user, chat.conversation_for(user=user))[-1] == (demo.DEMO_EMAIL, "배송 중인 주문 알려줘")
    assert len(said) == 1
