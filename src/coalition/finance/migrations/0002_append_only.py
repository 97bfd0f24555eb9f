"""Ledger rows are append-only in the database too, not only in the ORM.

PostgreSQL: a trigger refuses UPDATE and DELETE of postings and ledger transactions
(TRUNCATE, which test set-up and `demo --reset` use to empty a database, stays allowed).
SQLite: a trigger refuses UPDATE; DELETE stays allowed there because Django empties
SQLite tables with DELETE (flush), and SQLite cannot tell that apart from a deletion.
"""

from django.db import migrations

TABLES = ["finance_posting", "finance_ledgertransaction"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION finance_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only: % on % refused (post a reversal)',
        TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(PG_FUNCTION, params=None)
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION finance_append_only()"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: UPDATE refused "
                "(post a reversal)'); END"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS finance_append_only()")


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
