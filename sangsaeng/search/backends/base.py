"""What every index backend does; the query plan they all render (into FTS5 or tsquery syntax).

A plan is groups of alternatives: a document matches when any alternative of any group matches,
and ranking (BM25 on SQLite, cover density on PostgreSQL) puts documents that match more groups,
in the title, first. Terms are always passed as quoted literals of the target syntax, never as
syntax, so quotes, `*`, NEAR, parentheses, `-` and `:` in a query are just characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

TERMS, INITIALS = "terms", "initials"


@dataclass(frozen=True)
class Alternative:
    terms: tuple[str, ...]  # one term, or a phrase (a multi-word synonym)
    prefix: bool = False  # the last term matches as a prefix
    column: str = TERMS  # TERMS (title and body) or INITIALS (초성 of the title)


@dataclass
class Plan:
    groups: list[list[Alternative]] = field(default_factory=list)
    require_all: bool = False  # every group must match (autocomplete), not any

    def __bool__(self) -> bool:
        return any(self.groups)


@dataclass
class Filters:
    kinds: tuple[str, ...] = ()
    date_from: datetime | None = None
    date_to: datetime | None = None
    price_min: int | None = None
    price_max: int | None = None


@dataclass(frozen=True)
class Row:
    """The full-text part of one document: Kiwi terms of the title and body, and title initials."""

    id: int
    title_terms: str
    text_terms: str
    initials: str


class Backend(Protocol):
    vendor: str

    def write(self, rows: list[Row]) -> None: ...

    def delete(self, ids: list[int]) -> None: ...

    def vacuum(self) -> int: ...

    def search(
        self, *, plan: Plan, user_id: int | None, filters: Filters, limit: int, offset: int
    ) -> list[tuple[int, float]]: ...


def filter_sql(filters: Filters, user_id: int | None) -> tuple[str, list[Any]]:
    """The WHERE conditions shared by both backends: visibility first, then the user's filters."""
    if user_id is None:
        clauses = ["d.visibility = 'public'"]
        params: list[Any] = []
    else:
        clauses = [
            "(d.visibility = 'public' OR EXISTS (SELECT 1 FROM search_audience a "
            "WHERE a.document_id = d.id AND a.user_id = %s))"
        ]
        params = [user_id]
    if filters.kinds:
        clauses.append("d.kind IN (" + ", ".join(["%s"] * len(filters.kinds)) + ")")
        params.extend(filters.kinds)
    if filters.date_from is not None:
        clauses.append("d.date >= %s")
        params.append(filters.date_from)
    if filters.date_to is not None:
        clauses.append("d.date < %s")
        params.append(filters.date_to)
    if filters.price_min is not None:
        clauses.append("d.price >= %s")
        params.append(filters.price_min)
    if filters.price_max is not None:
        clauses.append("d.price <= %s")
        params.append(filters.price_max)
    return " AND ".join(clauses), params
