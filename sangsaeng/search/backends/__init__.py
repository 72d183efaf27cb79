"""The index backend for the configured database: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from __future__ import annotations

from django.db import connection

from sangsaeng.search.backends.base import Backend


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from sangsaeng.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from sangsaeng.search.backends.sqlite import SQLiteBackend

    return SQLiteBackend()
