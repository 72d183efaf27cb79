"""PostgreSQL full text over Kiwi terms: a `tsv` tsvector column on search_document, GIN-indexed.

The tsvector is written as a literal built here from the Kiwi terms (title terms weight A, body
B, title initials C, with positions), so PostgreSQL's own parser and dictionaries never touch
the Korean: the lexemes are exactly Kiwi's, like the 'simple' configuration with no stemming.

Ranking is ts_rank_cd (cover density) with normalisation 1 (divided by 1 + log of the document
length) and the default weights {D 0.1, C 0.2, B 0.4, A 1.0}. PostgreSQL has no BM25: cover
density rewards documents where the matched terms are many and close together, and the length
normalisation plays the part of BM25's b; term rarity (BM25's IDF) is not modelled. The same
relevance set scores both (see relevance/).
"""

from __future__ import annotations

from django.db import connection

from sangsaeng.search.backends.base import INITIALS, Alternative, Filters, Plan, Row, filter_sql

MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(row: Row) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in ((row.title_terms, "A"), (row.text_terms, "B"), (row.initials, "C")):
        for term in text.split():
            position = min(position + 1, MAX_POSITION)
            spots = positions.setdefault(term, [])
            if len(spots) < MAX_POSITIONS_PER_LEXEME:
                spots.append(f"{position}{weight}")
    return " ".join(f"{_lexeme(term)}:{','.join(spots)}" for term, spots in positions.items())


def _alternative(alt: Alternative) -> str:
    weights = "C" if alt.column == INITIALS else "AB"
    parts = []
    for i, term in enumerate(alt.terms):
        star = "*" if alt.prefix and i == len(alt.terms) - 1 else ""
        parts.append(f"{_lexeme(term)}:{star}{weights}")
    return "(" + " <-> ".join(parts) + ")" if len(parts) > 1 else parts[0]


def tsquery_literal(plan: Plan) -> str:
    groups = [" | ".join(_alternative(a) for a in group) for group in plan.groups if group]
    return (" & " if plan.require_all else " | ").join(f"({g})" for g in groups)


class PostgresBackend:
    vendor = "postgresql"

    def write(self, rows: list[Row]) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE search_document SET tsv = %s::tsvector WHERE id = %s",
                    [(tsvector_literal(r), r.id) for r in rows],
                )

    def delete(self, ids: list[int]) -> None:
        """The tsvector lives on the document row, so deleting the row deletes it."""

    def vacuum(self) -> int:
        return 0

    def search(
        self, *, plan: Plan, user_id: int | None, filters: Filters, limit: int, offset: int
    ) -> list[tuple[int, float]]:
        if not plan:
            return []
        where, params = filter_sql(filters, user_id)
        sql = (
            "SELECT d.id, ts_rank_cd(d.tsv, q, 1) AS score FROM search_document d, CAST(%s AS tsquery) q "  # noqa: S608 (only placeholders and fixed clauses are joined)
            f"WHERE d.tsv @@ q AND {where} ORDER BY score DESC, d.id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [tsquery_literal(plan), *params, limit, offset])
            return [(int(i), float(s)) for i, s in cursor.fetchall()]
