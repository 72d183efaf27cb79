"""Search fixtures: a test provider for documents of any visibility (public posts, chats with
members) so visibility is tested through the same interface later apps will use."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from sangsaeng.search.registry import PRIVATE, PUBLIC, Doc, provider_get, provider_register, provider_unregister


class MemoryProvider:
    """Documents held in a dict; `visible` answers like a real app would from its own rules."""

    label = "테스트"
    events: dict[str, Any] = {}

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.docs: dict[str, Doc] = {}

    def add(self, id: str, title: str, text: str = "", **fields: Any) -> Doc:
        doc = Doc(id=id, kind=self.kind, title=title, text=text, **fields)
        self.docs[id] = doc
        return doc

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        for key, doc in self.docs.items():
            if ids is None or key in ids:
                yield doc

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        allowed = set()
        for key in ids:
            doc = self.docs.get(key)
            if doc is None:
                continue
            if doc.visibility == PUBLIC or (user is not None and (user.pk == doc.owner_id or user.pk in doc.audience)):
                allowed.add(key)
        return allowed


@pytest.fixture(autouse=True)
def _drawer_files(settings, tmp_path):
    settings.DRAWER_FILES_DIR = tmp_path / "files"
    settings.STORAGE_URL = ""
    yield


@pytest.fixture
def posts() -> Iterator[MemoryProvider]:
    real = provider_get("post")
    provider = MemoryProvider("post")
    provider_register("post", provider)
    yield provider
    provider_unregister("post")
    if real is not None:  # the app's own provider comes back for the tests after
        provider_register("post", real)


@pytest.fixture
def chats() -> Iterator[MemoryProvider]:
    real = provider_get("chat")
    provider = MemoryProvider("chat")
    provider_register("chat", provider)
    yield provider
    provider_unregister("chat")
    if real is not None:  # the app's own provider comes back for the tests after
        provider_register("chat", real)


__all__ = ["PRIVATE", "PUBLIC", "MemoryProvider"]
