"""Crash safety: `coalition pledges import` and `coalition deliveries import` killed with
SIGKILL in the middle of their write transaction leave nothing of the import behind, on a
SQLite file and on PostgreSQL, and the audit chain still verifies.

"In the middle", deterministically: the audit signing key file is replaced by a named pipe,
which the importer opens when it records its audit event, the last thing in its
transaction after every row is written. The test waits until the importer holds the pipe
open (and, as evidence, holds the database's write lock on SQLite or its row locks on
PostgreSQL), then kills it: no sleep, no race with the import's speed."""

import errno
import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ops.support import KEY, TIMEOUT, Site, migrated_sqlite, postgres_database

PLEDGES = 5000
ITEMS = 900  # of the 920 units the demo's order PO-2025-0001 still awaits


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The demo, its signing key in the key file (no AUDIT_SIGNING_KEY)."""
    home = tmp_path_factory.mktemp(f"crash-{request.param}")
    if request.param == "sqlite":
        site = migrated_sqlite(sqlite_template, home)
        context = None
    else:
        context = postgres_database()
        site = Site(home, context.__enter__())
        site.run("migrate")
    site.key = ""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = base64.b64decode(KEY)
    pem = Ed25519PrivateKey.from_private_bytes(raw).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (home / "audit_signing_key").write_bytes(pem)
    site.run("demo")
    try:
        yield site
    finally:
        if context is not None:
            context.__exit__(None, None, None)


def _pledge_file(path: Path) -> Path:
    lines = ["reference,date,donor,channel,status,amount,currency"]
    lines += [f"CRASH-{i},2025-03-03,DE,national,pledged,{i + 1}.00,EUR" for i in range(PLEDGES)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _manifest(path: Path) -> Path:
    lines = ["serial,order,delivered_on,lot"]
    lines += [f"CRASH-SN-{i:06d},PO-2025-0001,2025-09-01,CRASH" for i in range(ITEMS)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _pipe_writer(pipe: Path) -> int | None:
    """Once a reader has the pipe open, its write end (kept open, never written: the
    reader then waits in read(); closing it would give the reader an empty key)."""
    try:
        return os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENXIO:  # no reader yet
            return None
        raise


def _writing(site: Site, table: str) -> bool:
    """Someone else holds a write transaction that wrote to `table`."""
    if site.database_url is None:
        db = sqlite3.connect(site.sqlite, timeout=0, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        else:
            db.execute("ROLLBACK")
            return False
        finally:
            db.close()
    import psycopg

    with psycopg.connect(site.database_url) as db:
        row = db.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()",
            [table],
        ).fetchone()
    return bool(row and row[0])


def _locks(site: Site) -> object:
    if site.database_url is None:
        return None
    import psycopg

    with psycopg.connect(site.database_url) as db:
        return db.execute(
            "SELECT l.pid, c.relname, l.mode, a.state, a.wait_event_type, left(a.query, 80) "
            "FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation "
            "LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.pid <> pg_backend_pid()"
        ).fetchall()


def _kill_while_writing(site: Site, table: str, *args: str) -> None:
    key = site.home / "audit_signing_key"
    kept = key.with_name("audit_signing_key.kept")
    key.rename(kept)
    os.mkfifo(key)
    process = site.popen(*args)
    writer = None
    try:
        deadline = time.monotonic() + TIMEOUT
        while (writer := _pipe_writer(key)) is None:
            assert process.poll() is None, f"the import ended first: {process.communicate()}"
            assert time.monotonic() < deadline, "the import never reached its audit event"
            time.sleep(0.05)  # polling, not synchronisation: the pipe is the signal
        assert _writing(site, table), _locks(site)  # evidence: its write transaction is open
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=TIMEOUT)
        assert process.returncode == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        if writer is not None:
            os.close(writer)
        key.unlink()
        kept.rename(key)
    if site.database_url is not None:
        _backend_gone(site, table)


def _backend_gone(site: Site, table: str) -> None:
    """PostgreSQL rolls the dead client's transaction back when it notices: wait for it."""
    deadline = time.monotonic() + TIMEOUT
    while _writing(site, table):
        assert time.monotonic() < deadline, "the killed import's transaction stayed open"
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("command", "table", "make"),
    [
        ("pledges", "finance_contribution", _pledge_file),
        ("deliveries", "procurement_delivereditem", _manifest),
    ],
)
def test_a_killed_import_leaves_nothing(
    site: Site, tmp_path: Path, command: str, table: str, make: object
) -> None:
    path = make(tmp_path / f"{command}.csv")  # type: ignore[operator]
    before = site.counts()
    _kill_while_writing(site, table, command, "import", str(path))
    assert site.counts() == before
    verify = site.run("audit", "verify")
    assert verify.stdout.startswith("audit chain intact: ")
    # The same import then goes through: no lock or damage left behind.
    done = site.run(command, "import", str(path))
    assert done.stdout.startswith(f"{path.name}: ")
    after = site.counts()
    written = PLEDGES if command == "pledges" else ITEMS
    assert after[table] == before[table] + written
    assert after["audit_auditevent"] == before["audit_auditevent"] + 1
    site.run("audit", "verify")
