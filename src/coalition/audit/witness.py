"""The witness: the newest signed head, written to a file outside the database after every
commit (setting AUDIT_WITNESS_FILE; "" turns it off). Whoever deletes the newest events and
rewinds the head in the database cannot rewind this file, nor sign a head of their own.

Several processes write it: a lock file serialises them, and a head never replaces a newer
one, since commits can finish in another order than their heads were taken. The head is
written in place as one record of one disk sector, so that a reader holding the lock, or
the file after a power loss, has the old head or the new one; a temporary file renamed
over it would do the same, but ext4 then writes the data out at once, which cost more
than the commit itself (bench/audit.py)."""

import fcntl
import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import transaction

from coalition.audit.errors import HeadInvalid
from coalition.audit.heads import SignedHead, head_parse

RECORD = 512  # bytes: one disk sector, written whole or not at all

# The newest seq this process knows the witness holds: older heads need no lock.
_known: dict[Path, int] = {}


def witness_path() -> Path | None:
    return _path(settings.AUDIT_WITNESS_FILE)


@functools.cache
def _path(value: str) -> Path | None:  # once per setting: audit_record asks on every write
    return Path(value) if value else None


@dataclass
class _AfterCommit:
    path: Path
    head: SignedHead
    public_key: Ed25519PublicKey
    superseded: bool = False

    def __call__(self) -> None:
        if not self.superseded:
            witness_advance(self.path, self.head, self.public_key)


# Per thread, so per connection: the write the connection's newest event asked for.
_last = threading.local()


def witness_on_commit(path: Path, head: SignedHead, public_key: Ed25519PublicKey) -> None:
    """Give the witness `head` once the transaction commits. A later event of the same
    transaction supersedes it, so that a commit of many events writes once. Should that
    later event be rolled back with a savepoint while this one commits, the witness lags
    until the next commit: an older head checks less, but never raises a false alarm."""
    previous: _AfterCommit | None = getattr(_last, "write", None)
    if previous is not None:
        previous.superseded = True
    _last.write = _AfterCommit(path, head, public_key)
    transaction.on_commit(_last.write, robust=True)  # a witness that fails, fails no write


def witness_read(path: Path) -> SignedHead | None:
    """The head the witness holds; None before the first commit wrote it."""
    if not path.parent.is_dir():
        return None
    with _locked(path, fcntl.LOCK_SH):
        return _read(path)


def witness_advance(path: Path, head: SignedHead, public_key: Ed25519PublicKey) -> None:
    if head.seq <= _known.get(path, 0):
        return
    with _locked(path, fcntl.LOCK_EX):
        try:
            held = _read(path)
        except HeadInvalid:
            held = None  # unreadable: the next good head mends it
        if held is not None and held.seq >= head.seq:
            _known[path] = held.seq
            return
        _overwrite(path, head.to_json(public_key))
        _known[path] = head.seq


@contextmanager
def _locked(path: Path, operation: int) -> Iterator[None]:
    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, operation)
        yield
    finally:
        os.close(fd)  # which releases the lock


def _read(path: Path) -> SignedHead | None:
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise HeadInvalid(f"the witness {path}: {error}") from None
    return head_parse(text, f"the witness {path}")


def _overwrite(path: Path, text: str) -> None:
    """The whole record at offset 0, the JSON padded with spaces: never shorter, so the
    file is never truncated."""
    data = text.rstrip("\n").encode().ljust(RECORD - 1) + b"\n"
    if len(data) > RECORD:
        raise ValueError(f"a head of {len(data)} bytes does not fit the witness record")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.pwrite(fd, data, 0)
    finally:
        os.close(fd)


def witness_reset(path: Path, head: SignedHead, public_key: Ed25519PublicKey) -> None:
    """The witness holds `head`, even an older one: after a restore the database is another
    chain's copy, and a newer head of the chain it replaced would only contradict it."""
    with _locked(path, fcntl.LOCK_EX):
        _overwrite(path, head.to_json(public_key))
        _known[path] = head.seq
