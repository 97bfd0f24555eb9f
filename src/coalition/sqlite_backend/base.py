"""Django's SQLite backend, with writers queued for the database instead of polling it.

Every transaction here starts with BEGIN IMMEDIATE (settings.py), so one writer at a time
holds the database. A writer that found it held was left to SQLite's busy handler, which
sleeps and tries again, up to 100 ms at a time, while newcomers get in first: under 32
writers some waited seconds (bench/api.py, writes: p99 2.8 s at 62 a second). Now the
threads of a process queue on one lock of the process, and the thread at the head of the
queue waits for the other processes on a file lock beside the database, trying it every
millisecond; so SQLite's lock is free whenever a transaction begins. A wait longer than
the database's timeout fails as SQLite's would, with "database is locked". A database in
memory (the tests') is one process's: the queue alone guards it."""

import fcntl
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

DEFAULT_TIMEOUT = 5.0  # seconds: SQLite's own default, when OPTIONS gives none
POLL_SECONDS = 0.001


class WriterTurn:
    """One process's turn to write to one database file."""

    def __init__(self, path: str | None) -> None:
        self.queue = threading.Lock()
        self.path = path
        self.fd: int | None = None

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self.queue.acquire(timeout=timeout):
            return False
        if self.path is None or self._file_acquire(deadline):
            return True
        self.queue.release()
        return False

    def _file_acquire(self, deadline: float) -> bool:
        if self.fd is None:
            self.fd = os.open(str(self.path), os.O_RDWR | os.O_CREAT, 0o600)
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(POLL_SECONDS)

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.queue.release()


_TURNS: dict[str, WriterTurn] = {}
_TURNS_GUARD = threading.Lock()
# A forked server process must not share its parent's file lock (one open file is one
# lock holder for flock) nor inherit a queue some thread of the parent held.
os.register_at_fork(after_in_child=_TURNS.clear)


def lock_path(name: str) -> str | None:
    """The file lock beside a database file; None for a database in memory."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return f"{name}-writer.lock"


def writer_turn(name: str) -> WriterTurn:
    with _TURNS_GUARD:
        if name not in _TURNS:
            _TURNS[name] = WriterTurn(lock_path(name))
        return _TURNS[name]


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn: WriterTurn | None = None

    def _start_transaction_under_autocommit(self) -> None:
        turn = writer_turn(str(self.settings_dict["NAME"]))
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", DEFAULT_TIMEOUT))
        if not turn.acquire(timeout):
            raise OperationalError("database is locked")
        self._turn = turn
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in django-stubs
        except BaseException:
            self._turn_release()
            raise

    def _turn_release(self) -> None:
        turn, self._turn = self._turn, None
        if turn is not None:
            turn.release()

    def _ended(self, end: Callable[[], None]) -> None:
        """End the transaction (commit, roll back or close), then give the turn back."""
        try:
            end()
        finally:
            self._turn_release()

    # These three are Django's, not in django-stubs.
    def _commit(self) -> None:
        self._ended(super()._commit)  # type: ignore[misc]

    def _rollback(self) -> None:
        self._ended(super()._rollback)  # type: ignore[misc]

    def _close(self) -> None:
        self._ended(super()._close)  # type: ignore[misc]
