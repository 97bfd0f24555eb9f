"""`coalition restore` refuses, with exit code 2, a message naming what broke and nothing
written: a file whose audit chain does not verify (an event altered, missing, out of order,
the newest ones cut), a file whose rows disagree with the chain (found after loading: the
one transaction is rolled back), a file signed with another key, a damaged file, and a
database that is not empty (unless --force)."""

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.ops.support import OTHER_KEY, Site, backup_header, backup_rewrite, migrated_sqlite

EVENTS = "audit_auditevent"


def _section(items: list[Any], table: str) -> tuple[int, int]:
    """[start, end) of a table's rows among the file's lines."""
    start = items.index({"table": table}) + 1
    end = start
    while isinstance(items[end], list):
        end += 1
    return start, end


def _column(path: Path, table: str, column: str) -> int:
    header = backup_header(path)
    return next(t for t in header["tables"] if t["table"] == table)["columns"].index(column)


def _refused(
    target: Site, path: Path, *args: str, env_key: str | None = None
) -> tuple[str, dict[str, int]]:
    before = target.counts()
    if env_key is not None:
        target.key = env_key
    result = target.run("restore", str(path), *args, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert target.counts() == before  # nothing written
    return result.stderr, before


@pytest.fixture
def target(sqlite_template: Path, tmp_path: Path) -> Site:
    return migrated_sqlite(sqlite_template, tmp_path / "target")


def _tampered(demo_backup: Path, tmp_path: Path, change: Callable[[list[Any]], None]) -> Path:
    path = tmp_path / "tampered.backup"

    def apply(items: list[Any]) -> list[Any]:
        change(items)
        return items

    backup_rewrite(demo_backup, path, apply)
    return path


def test_an_altered_event_is_named(demo_backup: Path, target: Site, tmp_path: Path) -> None:
    actor = _column(demo_backup, EVENTS, "actor")
    action = _column(demo_backup, EVENTS, "action")
    seen: dict[str, str] = {}

    def change(items: list[Any]) -> None:
        start, _ = _section(items, EVENTS)
        items[start + 2][actor] = "mallory"
        seen["action"] = items[start + 2][action]

    path = _tampered(demo_backup, tmp_path, change)
    message, _ = _refused(target, path)
    assert message == (
        f"CommandError: tampered.backup: its audit chain does not verify: event #3 "
        f"({seen['action']}) was altered; nothing restored\n"
    )


def test_a_missing_event_is_named(demo_backup: Path, target: Site, tmp_path: Path) -> None:
    def change(items: list[Any]) -> None:
        start, _ = _section(items, EVENTS)
        del items[start + 4]

    message, _ = _refused(target, _tampered(demo_backup, tmp_path, change))
    assert message == (
        "CommandError: tampered.backup: its audit chain does not verify: event #5 is missing "
        "or out of order (#6 comes after #4); nothing restored\n"
    )


def test_reordered_events_are_named(demo_backup: Path, target: Site, tmp_path: Path) -> None:
    def change(items: list[Any]) -> None:
        start, _ = _section(items, EVENTS)
        items[start + 2], items[start + 3] = items[start + 3], items[start + 2]

    message, _ = _refused(target, _tampered(demo_backup, tmp_path, change))
    assert message == (
        "CommandError: tampered.backup: its audit chain does not verify: event #3 is missing "
        "or out of order (#4 comes after #2); nothing restored\n"
    )


def test_the_newest_events_cut_are_named(demo_backup: Path, target: Site, tmp_path: Path) -> None:
    total = backup_header(demo_backup)["audit_head"]["seq"]

    def change(items: list[Any]) -> None:
        _, end = _section(items, EVENTS)
        del items[end - 2 : end]

    message, _ = _refused(target, _tampered(demo_backup, tmp_path, change))
    assert message == (
        f"CommandError: tampered.backup: its audit chain does not verify: event #{total - 1} "
        "and after were removed; nothing restored\n"
    )


def test_rows_that_disagree_with_the_chain_are_rolled_back(
    demo_backup: Path, target: Site, tmp_path: Path
) -> None:
    """The chain itself is intact: only the load and the state checks find it, inside the
    restore's transaction, which is then rolled back (the target keeps its rows)."""
    amount = _column(demo_backup, "finance_posting", "amount_minor")

    def change(items: list[Any]) -> None:
        start, _ = _section(items, "finance_posting")
        items[start][amount] *= 10

    message, _ = _refused(target, _tampered(demo_backup, tmp_path, change))
    assert message == (
        "CommandError: tampered.backup: its audit chain does not verify: a posting of ledger "
        "transaction drone-coalition:contribution:LV-2025-drones:pledged (event #65) was "
        "altered; the balance of drone-coalition:national:LV:pledged:LV:*:* is -22000000.00 "
        "EUR, its postings sum to -202000000.00; nothing restored\n"
    )


def test_a_chain_signed_with_another_key(demo_backup: Path, target: Site) -> None:
    key = backup_header(demo_backup)["public_key"]
    target.key = OTHER_KEY
    other = target.run("audit", "public-key").stdout.strip()
    message, _ = _refused(target, demo_backup)
    assert message == (
        f"CommandError: demo.backup: its audit chain was signed with another key ({key}) than "
        f"the one configured here ({other}): configure the source's key\n"
    )


def test_a_damaged_file(demo_backup: Path, target: Site, tmp_path: Path) -> None:
    cut = tmp_path / "cut.backup"
    cut.write_bytes(demo_backup.read_bytes()[:200_000])
    message, _ = _refused(target, cut)
    assert message.startswith("CommandError: cut.backup: unreadable after line ")
    assert message.endswith("not a gzip'd backup, or cut short\n")
    plain = tmp_path / "pledges.csv"
    plain.write_text("reference,date\n")
    message, _ = _refused(target, plain)
    assert message.startswith("CommandError: pledges.csv: unreadable after line 0 (")
    header_only = tmp_path / "header.backup"
    with gzip.open(header_only, "wt") as out:
        out.write('{"format": "something else"}\n')
    message, _ = _refused(target, header_only)
    assert message == "CommandError: header.backup: not a coalition backup (no header)\n"


def test_a_database_that_is_not_empty_unless_forced(demo_backup: Path, target: Site) -> None:
    target.run("rates", "add", "UAH", "2025-01-02", "43.5")  # a rate and its audit event
    message, _ = _refused(target, demo_backup)
    assert message == (
        "CommandError: the database is not empty (table audit_auditevent has rows): restore "
        "into a new, migrated database, or give --force to replace everything in it\n"
    )
    target.run("restore", "--force", str(demo_backup))
    counts = {t["table"]: t["rows"] for t in backup_header(demo_backup)["tables"]}
    assert {t: n for t, n in target.counts().items() if t in counts} == counts
    target.run("audit", "verify")
