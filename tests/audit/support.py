"""Writing a chain, and changing it behind the application's back as an attacker with
database access would."""

import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from coalition.audit.chain import stored_event_hash
from tests.audit.chain_load import record as record_one


def record(n: int) -> None:
    """n events, each in its own transaction."""
    for i in range(n):
        record_one(i)


def sql(statement: str, params: list[object] | None = None) -> None:
    """On PostgreSQL past the append-only trigger on audit events, as the database's
    superuser can (replica mode fires no ordinary trigger; set back at once)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(statement, params or [])
            return
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(statement, params or [])
        cursor.execute("SET session_replication_role = DEFAULT")


def rehash_from(seq: int) -> None:
    """Recompute the hashes from event `seq` on and move the head, by raw SQL: what anyone
    who can write the tables and read the (public) hash definition can do."""
    from coalition.audit.models import AuditEvent

    prev_hash = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        digest = stored_event_hash(event, prev_hash=prev_hash)
        sql(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
            [prev_hash, digest, event.seq],
        )
        prev_hash = digest
    sql("UPDATE audit_audithead SET hash = %s WHERE id = 1", [prev_hash])


def audit(*args: str) -> tuple[int, str]:
    """`coalition audit ...` in this process and transaction: (exit code, stdout or the
    error). The real command line closes the connection when it ends, which would end the
    test's transaction on PostgreSQL."""
    out = io.StringIO()
    try:
        call_command("audit", *args, stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()
