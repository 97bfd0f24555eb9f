"""On PostgreSQL the application cannot UPDATE or DELETE audit events, ledger postings or
ledger transactions, whatever role it connects with: triggers refuse them (audit 0004,
finance 0002). TRUNCATE, which emptying a database for a restore or a test uses, passes."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.conftest import requires_postgres

pytestmark = [pytest.mark.django_db, requires_postgres]

AUDIT = "audit events are append-only: {op} on audit_auditevent refused"
LEDGER = "ledger rows are append-only: {op} on {table} refused (post a reversal)"

CASES = [
    ("audit_auditevent", "actor = 'mallory'", AUDIT),
    ("finance_posting", "amount_minor = amount_minor * 10", LEDGER),
    ("finance_ledgertransaction", "memo = 'forged'", LEDGER),
]


def _rows(table: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        return list(cursor.fetchall())


def _refused(statement: str) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(statement)
    return str(caught.value).splitlines()[0]


@pytest.mark.parametrize(("table", "change", "message"), CASES)
def test_a_raw_update_is_refused(table: str, change: str, message: str, demo: object) -> None:
    before = _rows(table)
    assert before  # the demo wrote some
    refused = _refused(f"UPDATE {table} SET {change} WHERE id = {before[0][0]}")
    assert refused == message.format(op="UPDATE", table=table)
    assert _rows(table) == before


@pytest.mark.parametrize(("table", "change", "message"), CASES)
def test_a_raw_delete_is_refused(table: str, change: str, message: str, demo: object) -> None:
    before = _rows(table)
    refused = _refused(f"DELETE FROM {table} WHERE id = {before[-1][0]}")
    assert refused == message.format(op="DELETE", table=table)
    assert _rows(table) == before


def test_truncate_empties_them_for_a_restore(demo: object) -> None:
    """Rolled back with the test, as a restore's failure rolls it back."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE audit_auditevent, audit_audithead, finance_posting, "
            "finance_ledgertransaction CASCADE"
        )
    assert _rows("audit_auditevent") == [] and _rows("finance_posting") == []
