"""`coalition backup FILE` / `coalition restore FILE`: the whole database round-trips
between SQLite and PostgreSQL, and a file whose audit chain does not verify, or a database
that is not empty, is refused with nothing written."""

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from tests.ops.support import (
    Site,
    backup_header,
    header_counts,
    migrated_sqlite,
    postgres_server,
)


def _rows_of(path: Path) -> dict[str, list[Any]]:
    """Every table's rows as the file holds them."""
    tables: dict[str, list[Any]] = {}
    table = ""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            item = json.loads(line)
            if isinstance(item, dict):
                table = item.get("table", "")
                tables.setdefault(table, [])
            else:
                tables[table].append(item)
    return tables


@pytest.mark.parametrize("middle", ["sqlite", "postgresql"])
def test_round_trip_sqlite_then_middle_then_a_new_sqlite(
    middle: str, demo_backup: Path, sqlite_template: Path, tmp_path: Path, request: Any
) -> None:
    counts = header_counts(demo_backup)
    assert counts["audit_auditevent"] > 100 and counts["finance_posting"] > 0
    assert counts["auth_user"] > 20 and counts["finance_rate"] > 200_000
    # The middle: PostgreSQL (its own new database) or another SQLite file.
    if middle == "postgresql":
        if postgres_server() is None:
            pytest.skip("needs a PostgreSQL server (set DATABASE_URL=postgres://...); CI runs it")
        hop = Site(tmp_path / "pg", request.getfixturevalue("postgres_url"))
        hop.home.mkdir()
        hop.run("migrate")
    else:
        hop = migrated_sqlite(sqlite_template, tmp_path / "hop")
    restored = hop.run("restore", str(demo_backup))
    assert restored.stdout == (
        f"{demo_backup}: restored {sum(counts.values())} rows of {len(counts)} tables from "
        f"sqlite; audit chain intact: {counts['audit_auditevent']} events\n"
    )
    assert {t: n for t, n in hop.counts().items() if t in counts} == counts
    verify = hop.run("audit", "verify")
    assert verify.stdout == f"audit chain intact: {counts['audit_auditevent']} events, signed\n"
    again = tmp_path / "again.backup"
    hop.run("backup", str(again))
    assert backup_header(again)["engine"] == middle
    assert header_counts(again) == counts
    final = migrated_sqlite(sqlite_template, tmp_path / "final")
    final.run("restore", str(again))
    assert {t: n for t, n in final.counts().items() if t in counts} == counts
    assert final.run("audit", "verify").stdout == verify.stdout
    # The same rows, value for value, after two moves.
    last = tmp_path / "last.backup"
    final.run("backup", str(last))
    assert _rows_of(last) == _rows_of(demo_backup)
    # A write after the restore takes the next keys (PostgreSQL's sequences were reset)
    # and continues the chain.
    hop.run("token", "create", "admin")
    assert hop.run("audit", "verify").stdout.startswith("audit chain intact: ")
