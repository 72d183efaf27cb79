"""Assistant fixtures: a Drawer per test, a filled card book, and the scripted model (a test double)."""

from __future__ import annotations

import io
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
