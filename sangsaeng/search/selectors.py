"""Reads of the search app for pages and other apps."""

from __future__ import annotations

from sangsaeng.search.analysis import kiwi as kiwi  # the process's one Kiwi, for apps that analyse Korean too
from sangsaeng.search.models import Document, SynonymGroup
from sangsaeng.search.registry import providers


def synonym_list() -> list[SynonymGroup]:
    return list(SynonymGroup.objects.all())


def kinds() -> list[tuple[str, str]]:
    """The searchable kinds and their labels, for type filters."""
    return [(kind, str(p.label)) for kind, p in sorted(providers().items())]


def index_size() -> int:
    return Document.objects.count()
