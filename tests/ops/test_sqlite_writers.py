"""SQLite writers take turns (coalition.sqlite_backend): the threads of a process queue
for the database, the head of each process's queue waits for the others on a file lock,
the turn is given back however a transaction ends, and a wait beyond the timeout fails as
SQLite's own would, with nothing written."""

import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError

from coalition.sqlite_backend import base
from coalition.sqlite_backend.base import DatabaseWrapper, lock_path, writer_turn

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite backend's own behaviour"
)


@pytest.fixture
def database(tmp_path: Path, django_db_blocker: Any) -> Iterator[Any]:
    """Wrappers of the backend on a file of its own (not the tests' database, so opened
    past pytest-django's guard), with a table; timeout 0.2 s."""

    def open_one() -> DatabaseWrapper:
        settings = {**connection.settings_dict, "NAME": str(tmp_path / "db.sqlite3")}
        settings["OPTIONS"] = {**settings["OPTIONS"], "timeout": 0.2}
        return DatabaseWrapper(settings, alias=f"writers-{len(opened)}")

    opened: list[DatabaseWrapper] = []

    def make() -> DatabaseWrapper:
        wrapper = open_one()
        opened.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        first = make()
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n INTEGER)")
        yield make
        for wrapper in opened:
            if wrapper.connection is not None:  # those of other threads closed themselves
                wrapper.close()


def _begin(wrapper: DatabaseWrapper) -> None:
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _insert(wrapper: DatabaseWrapper, n: int) -> None:
    with wrapper.cursor() as cursor:
        cursor.execute("INSERT INTO t (n) VALUES (%s)", [n])


def _rows(wrapper: DatabaseWrapper) -> list[int]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY n")
        return [row[0] for row in cursor.fetchall()]


def _free(wrapper: DatabaseWrapper) -> bool:
    """Whether the turn of this process for the database is free now."""
    turn = writer_turn(str(wrapper.settings_dict["NAME"]))
    if not turn.acquire(0):
        return False
    turn.release()
    return True


def test_the_settings_use_the_backend_and_the_tests_a_database_in_memory() -> None:
    assert isinstance(connections["default"], DatabaseWrapper)
    assert connection.settings_dict["TEST"]["NAME"] == ":memory:"
    assert lock_path(":memory:") is None
    assert lock_path("file:memorydb_default?mode=memory&cache=shared") is None
    assert lock_path("/srv/coalition.sqlite3") == "/srv/coalition.sqlite3-writer.lock"


def test_the_turn_is_given_back_after_a_commit_a_rollback_and_a_close(database: Any) -> None:
    wrapper = database()
    for end in ("commit", "rollback", "close"):
        _begin(wrapper)
        _insert(wrapper, 1)
        assert not _free(wrapper)
        if end == "close":
            wrapper.close()
        else:
            getattr(wrapper, end)()
            wrapper.set_autocommit(True)
        assert _free(wrapper), end
    assert _rows(database()) == [1]  # the committed one only


def test_another_process_holding_the_file_makes_a_writer_wait_then_fail_as_sqlite_would(
    database: Any,
) -> None:
    wrapper = database()
    path = lock_path(str(wrapper.settings_dict["NAME"]))
    assert path is not None
    # Another open file of the lock is another holder, as another process's would be.
    other = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(OperationalError, match="database is locked"):
            _begin(wrapper)
        queue = writer_turn(str(wrapper.settings_dict["NAME"])).queue
        assert queue.acquire(blocking=False)  # the queue was given back with the failure
        queue.release()
        assert _rows(wrapper) == []
    finally:
        os.close(other)
    _begin(wrapper)
    _insert(wrapper, 2)
    wrapper.commit()
    wrapper.set_autocommit(True)
    assert _rows(wrapper) == [2]


def test_a_second_thread_waits_for_the_first_and_then_writes(database: Any) -> None:
    first = database()
    _begin(first)
    _insert(first, 1)
    started, done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def second_writer() -> None:
        second = database()
        started.set()
        try:
            second.settings_dict["OPTIONS"]["timeout"] = 60  # waits as long as it takes
            _begin(second)
            _insert(second, 2)
            second.commit()
            second.set_autocommit(True)
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            second.close()
            done.set()

    thread = threading.Thread(target=second_writer)
    thread.start()
    started.wait()
    assert not done.is_set()  # it cannot have written: the first still holds the turn
    first.commit()
    first.set_autocommit(True)
    thread.join()
    assert failures == []
    assert _rows(first) == [1, 2]


def test_a_forked_process_starts_with_turns_of_its_own(database: Any) -> None:
    wrapper = database()
    _begin(wrapper)  # held by this process while it forks
    pid = os.fork()
    if pid == 0:  # the child: its own, free turn
        os._exit(0 if base._TURNS == {} else 1)
    _, status = os.waitpid(pid, 0)
    wrapper.rollback()
    wrapper.set_autocommit(True)
    assert os.waitstatus_to_exitcode(status) == 0
