"""The assistant's demo builder: two turns for the demo user, added once."""

from __future__ import annotations

from sangsaeng.accounts.services import user_create
from sangsaeng.assistant import demo, memory


def test_demo_adds_two_turns_once(db):
    user = user_create(email=demo.DEMO_EMAIL, password="correct-horse-battery-staple", verified=True)
    said: list[str] = []
    demo.build(said.append)
    demo.build(said.append)
    turns = memory.history(user=user)
    assert [t.persona for t in turns] == ["doctor", "secretary"]
    assert "진단이나 처방이 아닙니다" in turns[0].answer
    assert len(said) == 1
