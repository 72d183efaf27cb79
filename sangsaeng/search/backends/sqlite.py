"""SQLite FTS5 over Kiwi terms: `search_fts(title, body, initials)`, rowid = search_document.id.

The columns hold space-joined Kiwi terms, so FTS5's unicode61 tokenizer only splits on the spaces
we put there. Ranking is FTS5's bm25() with the title weighted 4x the body.
"""

from __future__ import annotations

from django.db import connection

from sangsaeng.search.backends.base import INITIALS, Alternative, Filters, Plan, Row, filter_sql

TITLE_WEIGHT, BODY_WEIGHT, INITIALS_WEIGHT = 4.0, 1.0, 2.0


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _alternative(alt: Alternative) -> str:
    phrase = _quote(" ".join(alt.terms)) + ("*" if alt.prefix else "")
    column = "initials" if alt.column == INITIALS else "{title body}"
    return f"{column} : {phrase}"


def match_expression(plan: Plan) -> str:
    groups = [" OR ".join(_alternative(a) for a in group) for group in plan.groups if group]
    return (" AND " if plan.require_all else " OR ").join(f"({g})" for g in groups)


class SQLiteBackend:
    vendor = "sqlite"

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(r.id,) for r in rows])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, initials) VALUES (%s, %s, %s, %s)",
                [(r.id, r.title_terms, r.text_terms, r.initials) for r in rows],
            )

    def delete(self, ids: list[int]) -> None:
        if ids:
            with connection.cursor() as cursor:
                cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in ids])

    def vacuum(self) -> int:
        """Drop index rows whose document is gone (a cascade from a deleted account)."""
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_document)")
            return int(cursor.rowcount or 0)

    def search(
        self, *, plan: Plan, user_id: int | None, filters: Filters, limit: int, offset: int
    ) -> list[tuple[int, float]]:
        if not plan:
            return []
        where, params = filter_sql(filters, user_id)
        sql = (
            f"SELECT d.id, bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, {INITIALS_WEIGHT}) AS score "  # noqa: S608 (constants and placeholders only)
            "FROM search_fts JOIN search_document d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {where} ORDER BY score, d.id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(plan), *params, limit, offset])
            return [(int(i), -float(s)) for i, s in cursor.fetchall()]
