"""Assistant fixtures: a Drawer per test, a filled card book, and the scripted model (a test double)."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PIL import Image


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.DRAWER_FILES_DIR = tmp_path / "files"
    settings.STORAGE_URL = ""
    settings.ASSISTANT_LM_URL = ""  # templates unless a test passes a model


class ScriptedModel:
    """Answers from a script and records every prompt it saw. Only for tests."""

    def __init__(self, reply: str = "네, 찾아봤어요.") -> None:
        self.reply = reply
        self.prompts: list[list[dict[str, str]]] = []

    def __call__(self, messages: list[dict[str, str]]) -> str:
        self.prompts.append(messages)
        return self.reply


Step = str | list[tuple[str, Any]] | Exception | Callable[[list[dict[str, Any]]], Any]


class ScriptedToolModel:
    """A function-calling model from a script. Only for tests.

    Each step answers one request: a string is a text answer; a list of (tool, arguments) is a
    `tool_calls` reply (arguments a dict, or a raw string sent as is); an exception is raised; a
    callable gets the conversation so far and returns one of those, so the double can react to what
    the tools returned. It records every conversation and the tool names it was offered."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.seen: list[list[dict[str, Any]]] = []
        self.offered: list[list[str]] = []

    def __call__(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        self.seen.append(copy.deepcopy(messages))
        self.offered.append([t["function"]["name"] for t in tools])
        step = self.steps.pop(0) if self.steps else "더 드릴 말씀이 없어요."
        if callable(step) and not isinstance(step, Exception):
            step = step(messages)
        if isinstance(step, Exception):
            raise step
        if isinstance(step, str):
            return {"role": "assistant", "content": step}
        calls = [
            {
                "id": f"call_{len(self.seen)}_{i}",
                "type": "function",
                "function": {
                    "name": name,
                    "arguments": args if isinstance(args, str) else json.dumps(args, ensure_ascii=False),
                },
            }
            for i, (name, args) in enumerate(step)
        ]
        return {"role": "assistant", "content": None, "tool_calls": calls}


@pytest.fixture
def scripted() -> ScriptedModel:
    return ScriptedModel()


def drawer_put(user: Any, tmp_path: Any, name: str, image: bool = True) -> Any:
    from sangsaeng.drawer import services as drawer

    path = tmp_path / name
    if image:
        out = io.BytesIO()
        Image.new("RGB", (16, 16), "teal").save(out, "JPEG")
        path.write_bytes(out.getvalue())
    else:
        path.write_bytes(b"%PDF-1.4 " + name.encode())
    return drawer.item_create(owner=user, path=path, name=name)


@pytest.fixture
def alice_book(alice, bob):
    """Bob's card, saved in Alice's card book."""
    from sangsaeng.business_cards import services as cards
    from sangsaeng.identity import services as identity

    identity.identity_approve_in_person(user=bob, legal_name="김민준", birthdate=date(1988, 3, 2))
    card = cards.card_create(
        owner=bob,
        data={
            "name": "김민준", "company": "한빛상사", "department": "", "title": "팀장", "phones": ["010-1234-5678"],
            "email": "minjun@example.com", "address": "", "website": "", "theme": "navy",
        },
    )  # fmt: skip
    cards.book_add(holder=alice, card_id=card.public_id)
    return card


@pytest.fixture
def mom(db):
    from sangsaeng.accounts.services import user_create

    return user_create(email="mom@example.com", password="correct-horse-battery-staple", display_name="엄마")


@pytest.fixture
def mom_chat(alice, mom):
    """Alice's 1:1 conversation with the user she calls 엄마 (a draft's target)."""
    from sangsaeng.messaging.services import conversation_direct_open

    return conversation_direct_open(actor=alice, other=mom)


def chat_texts(user: Any, conversation_id: Any) -> list[tuple[str, str]]:
    """(sender's e-mail, text or card kind) of every message in a conversation, oldest first."""
    from sangsaeng.messaging.selectors import messages_for

    return [
        (m.sender.email if m.sender else "", m.text or m.kind)
        for m in messages_for(actor=user, conversation_id=conversation_id, limit=200)
    ]
