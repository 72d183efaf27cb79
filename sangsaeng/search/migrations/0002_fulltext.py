"""The full-text structures, per database vendor (see backends/): an FTS5 table on SQLite, a
tsvector column with a GIN index on PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, initials, "
    "tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES_UP = [
    "ALTER TABLE search_document ADD COLUMN tsv tsvector",
    "CREATE INDEX search_document_tsv_gin ON search_document USING gin (tsv)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS search_document_tsv_gin", "ALTER TABLE search_document DROP COLUMN tsv"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
