"""Audit events are append-only in the database too, whatever role the application uses.

PostgreSQL: a trigger refuses UPDATE and DELETE of audit events. TRUNCATE, which
`demo --reset`, `restore` and the test set-up use to empty a database, is not a row
operation and stays allowed; the head row (audit_audithead) moves with every event and
is not covered. The ledger's postings and transactions have had the same trigger since
finance 0002. SQLite: nothing (Django empties SQLite tables with DELETE, and SQLite cannot
tell that apart); `coalition audit verify` catches what the trigger would have refused.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(
            "CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE "
            "ON audit_auditevent FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_day")]

    operations = [migrations.RunPython(forwards, backwards)]
