"""The search app's public operations. Other apps call these (and register providers through
`sangsaeng.search.registry`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.search.indexing import index_documents, index_refresh, index_remove, reindex
from sangsaeng.search.models import SynonymGroup
from sangsaeng.search.searching import search, suggest

MAX_SYNONYMS = 20


def _is_operator(actor: Any) -> bool:
    return bool(getattr(actor, "is_staff", False))


def _operator_only(actor: Any) -> None:
    if not _is_operator(actor):
        raise not_found("synonym")


def synonym_terms_clean(terms: str) -> str:
    words = list(dict.fromkeys(w.strip() for w in terms.replace("\n", ",").split(",") if w.strip()))
    if len(words) < 2:
        raise Problem(
            code="synonyms_too_few",
            status=422,
            ko="동의어는 두 개 이상 쉼표로 구분해 입력하세요.",
            en="Enter two or more words, separated by commas.",
            field="terms",
        )
    if len(words) > MAX_SYNONYMS or any(len(w) > 40 for w in words):
        raise Problem(
            code="synonyms_too_long",
            status=422,
            ko="동의어는 20개, 한 단어는 40자까지입니다.",
            en="At most 20 words of 40 characters each.",
            field="terms",
        )
    return ", ".join(words)[:500]


def synonym_create(*, actor: Any, terms: str, note: str = "") -> SynonymGroup:
    """Add a synonym group (operators only); queries use it from the next search on."""
    _operator_only(actor)
    return SynonymGroup.objects.create(terms=synonym_terms_clean(terms), note=note.strip()[:200])


def access_synonym(*, actor: Any, id: UUID | str) -> SynonymGroup:
    _operator_only(actor)
    try:
        group = SynonymGroup.objects.filter(public_id=UUID(str(id))).first()
    except ValueError:
        group = None
    if group is None:
        raise not_found("synonym")
    return group


def synonym_update(*, actor: Any, id: UUID | str, terms: str, note: str = "") -> SynonymGroup:
    group = access_synonym(actor=actor, id=id)
    group.terms = synonym_terms_clean(terms)
    group.note = note.strip()[:200]
    group.save(update_fields=["terms", "note", "updated_at"])
    return group


def synonym_delete(*, actor: Any, id: UUID | str) -> None:
    access_synonym(actor=actor, id=id).delete()


__all__ = [
    "access_synonym",
    "index_documents",
    "index_refresh",
    "index_remove",
    "reindex",
    "search",
    "suggest",
    "synonym_create",
    "synonym_delete",
    "synonym_update",
]
