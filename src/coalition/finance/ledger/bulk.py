"""Bulk SQL for the ledger store, the fastest plain way on each database.

PostgreSQL: COPY for inserts, and one array per column (`unnest`) for upserts, updates and
look-ups, so that a statement has a handful of parameters, not thousands. SQLite: a
prepared statement run many times (executemany), which is what it is fastest at.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection

PG_TYPES = {bool: "boolean", int: "bigint", str: "text", date: "date"}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _arrays(rows: Sequence[Sequence[Any]]) -> tuple[str, list[list[Any]]]:
    """`unnest(%s::type[], ...)` and one list per column."""
    columns = [list(c) for c in zip(*rows, strict=True)]
    types = [PG_TYPES[type(v)] for v in rows[0]]
    return ", ".join(f"%s::{t}[]" for t in types), columns


def _adapt(row: Sequence[Any]) -> list[Any]:
    adapt = connection.ops.adapt_datefield_value
    return [adapt(v) if isinstance(v, date) else v for v in row]


def insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Plain INSERT of many rows (dates as `datetime.date`)."""
    if not rows:
        return
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if _postgres():
            with cursor.cursor.copy(f"COPY {_quote(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(
            f"INSERT INTO {_quote(table)} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})",
            [_adapt(row) for row in rows],
        )


def upsert(
    table: str,
    columns: Sequence[str],
    conflict: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    add: Sequence[str] = (),
) -> None:
    """INSERT, and on a conflict add the `add` columns to the stored row (or do nothing)."""
    if not rows:
        return
    name = _quote(table)
    action = (
        "DO UPDATE SET " + ", ".join(f"{c} = {name}.{c} + excluded.{c}" for c in add)
        if add
        else "DO NOTHING"
    )
    head = f"INSERT INTO {name} ({', '.join(columns)}) "
    tail = f" ON CONFLICT ({', '.join(conflict)}) {action}"
    with connection.cursor() as cursor:
        if _postgres():
            arrays, params = _arrays(rows)
            cursor.execute(f"{head}SELECT * FROM unnest({arrays}){tail}", params)
            return
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        cursor.executemany(f"{head}VALUES {one}{tail}", [_adapt(r) for r in rows])


def add_by_id(table: str, column: str, deltas: Sequence[tuple[int, int]]) -> None:
    """column = column + delta for each (id, delta): a relative update, as F() makes."""
    if not deltas:
        return
    name = _quote(table)
    with connection.cursor() as cursor:
        if _postgres():
            arrays, params = _arrays(deltas)
            cursor.execute(
                f"UPDATE {name} AS t SET {column} = t.{column} + v.delta "
                f"FROM unnest({arrays}) AS v(id, delta) WHERE t.id = v.id",
                params,
            )
            return
        cursor.executemany(
            f"UPDATE {name} SET {column} = {column} + %s WHERE id = %s",
            [(d, i) for i, d in deltas],
        )


def ids_by(table: str, column: str, values: Sequence[str]) -> dict[str, int]:
    """{value: id} of the rows whose `column` is one of `values` (a unique column)."""
    if not values:
        return {}
    name = _quote(table)
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(
                f"SELECT {column}, id FROM {name} WHERE {column} = ANY(%s)", [list(values)]
            )
            return dict(cursor.fetchall())
        for start in range(0, len(values), 900):
            chunk = values[start : start + 900]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {column}, id FROM {name} WHERE {column} IN ({marks})", chunk)
            found.update(cursor.fetchall())
    return found
