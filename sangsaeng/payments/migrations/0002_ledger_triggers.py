"""Database-level guards for the ledger, beyond the CHECK constraints in 0001.

PostgreSQL: a deferred constraint trigger refuses to commit a transaction in which any journal entry's
lines don't sum to zero, and journal lines can be neither updated nor deleted.
SQLite: journal lines can't be updated (no deferred triggers there, so the balance of an entry is
checked by the service and by `ledger_audit`; deletes stay possible for the test runner's flush).
"""

from django.db import migrations

PG_UP = [
    """
    CREATE FUNCTION payments_entry_balanced() RETURNS trigger AS $$
    BEGIN
      IF (SELECT COALESCE(SUM(amount), 0) FROM payments_journalline WHERE entry_id = NEW.entry_id) <> 0 THEN
        RAISE EXCEPTION 'journal entry %% does not balance', NEW.entry_id USING ERRCODE = '23514';
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE CONSTRAINT TRIGGER payments_line_balanced AFTER INSERT ON payments_journalline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION payments_entry_balanced()
    """,
    """
    CREATE FUNCTION payments_line_immutable() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'journal lines are append-only' USING ERRCODE = '23514';
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER payments_line_append_only BEFORE UPDATE OR DELETE ON payments_journalline
    FOR EACH ROW EXECUTE FUNCTION payments_line_immutable()
    """,
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS payments_line_append_only ON payments_journalline",
    "DROP FUNCTION IF EXISTS payments_line_immutable()",
    "DROP TRIGGER IF EXISTS payments_line_balanced ON payments_journalline",
    "DROP FUNCTION IF EXISTS payments_entry_balanced()",
]
SQLITE_UP = [
    """
    CREATE TRIGGER payments_line_append_only BEFORE UPDATE ON payments_journalline
    BEGIN SELECT RAISE(ABORT, 'journal lines are append-only'); END
    """,
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS payments_line_append_only"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_UP, "sqlite": SQLITE_UP}), _run({"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN})
        ),
    ]
