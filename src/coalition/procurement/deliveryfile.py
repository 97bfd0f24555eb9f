"""Reading a delivery manifest (docs/CONTRACT.md), CSV or XLSX, with no Django, in chunks:
each row checked on its own (the serial's form, the dates, the lot); what needs the
database (the order, serials delivered before) is checked by the import service, chunk by
chunk, so that nothing grows with the file but the count of rows.

A manifest may be far longer than other imports (a million serials): its limits are the
IMPORT_* settings with the rows and bytes raised to DELIVERY_MAX_ROWS and
DELIVERY_MAX_BYTES (defaults below); an upload is still bounded by REQUEST_MAX_BYTES."""

import hashlib
import io
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import IO, cast

from coalition import tabular
from coalition.errors import Message, RowError, _, message_of
from coalition.records import IS_REQUIRED, MORE_VALUES, blank, iso_date, text
from coalition.records import _header as records_header
from coalition.tabular import Limits, Source
from coalition.text import longer_than, text_problem

COLUMNS = ("serial", "order", "delivered_on", "lot", "replaces")
REQUIRED = COLUMNS[:3]
MAX_SERIAL = 100
MAX_LOT = 100
SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*\Z")
SERIAL_RULE = Message(_("letters, digits and . _ / - (starting with a letter or digit)"))
CHUNK = 5_000
MAX_ROWS = 2_000_000  # DELIVERY_MAX_ROWS
MAX_BYTES = 200_000_000  # DELIVERY_MAX_BYTES


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    row: int
    serial: str
    order: str
    delivered_on: date
    lot: str = ""
    replaces: str = ""


@dataclass
class Chunk:
    """Up to CHUNK data rows of the file: those well formed, and the others' errors."""

    rows: list[DeliveryRow]
    errors: list[RowError]
    last: int  # the number of the chunk's last row read (the header is row 1)


def manifest_limits(settings: object = None) -> Limits:
    """The import limits, with a manifest's rows and bytes raised (module docstring)."""
    base = Limits.from_settings(settings)
    if settings is None:
        conf = sys.modules.get("django.conf")
        settings = getattr(conf, "settings", None)
    rows = getattr(settings, "DELIVERY_MAX_ROWS", None) or MAX_ROWS
    size = getattr(settings, "DELIVERY_MAX_BYTES", None) or MAX_BYTES
    return replace(
        base,
        max_rows=max(base.max_rows, rows),
        max_bytes=max(base.max_bytes, size),
        max_unzipped_bytes=max(base.max_unzipped_bytes, 5 * size),
    )


def serial_problem(serial: str) -> Message | None:
    if len(serial) > MAX_SERIAL:
        return longer_than(MAX_SERIAL)
    if not SERIAL.match(serial):
        return Message(
            _("'%(value)s' is not a serial number: %(rule)s"), value=serial[:40], rule=SERIAL_RULE
        )
    return None


def check_row(name: str, number: int, raw: dict[str, object]) -> DeliveryRow | list[RowError]:
    """The row, or every error of it (each naming the file, row and column)."""
    serial, order = text(raw.get("serial")), text(raw.get("order"))
    lot, replaces = text(raw.get("lot")), text(raw.get("replaces"))
    errors: list[RowError] = []
    given = text(raw.get("delivered_on")) != ""
    for column, present in (("serial", serial), ("order", order), ("delivered_on", given)):
        if not present:
            errors.append(RowError(name, number, column, IS_REQUIRED))
    if serial and (problem := serial_problem(serial)):
        errors.append(RowError(name, number, "serial", problem))
    if len(order) > 100:
        errors.append(RowError(name, number, "order", longer_than(100)))
    if len(lot) > MAX_LOT:
        errors.append(RowError(name, number, "lot", longer_than(MAX_LOT)))
    elif lot and (problem := text_problem(lot)):
        errors.append(RowError(name, number, "lot", problem))
    if replaces and (problem := serial_problem(replaces)):
        errors.append(RowError(name, number, "replaces", problem))
    elif replaces and replaces == serial:
        message = Message(_("an item cannot replace itself"))
        errors.append(RowError(name, number, "replaces", message))
    day: date | None = None
    if given:
        try:
            day = iso_date(raw.get("delivered_on"))
        except ValueError as error:
            errors.append(RowError(name, number, "delivered_on", message_of(error)))
    if errors or day is None:
        return errors
    return DeliveryRow(number, serial, order, day, lot, replaces)


def chunks(
    data: Source, name: str, *, limits: Limits | None = None, size: int | None = None
) -> Iterator[Chunk]:
    """The file's data rows in chunks of `size` (default CHUNK), each row checked on its
    own. A problem of the whole file (format, header, limits) raises FileRejected."""
    size = size or CHUNK
    rows: list[DeliveryRow] = []
    errors: list[RowError] = []
    last = 1
    table = tabular.read_rows(data, name, limits or manifest_limits())
    header = records_header(table, name, COLUMNS, REQUIRED)
    width = len(header)
    where = tuple(header.index(c) if c in header else -1 for c in COLUMNS)
    for number, values in table:
        row = _plain(number, values, width, where)
        if row is None:
            if blank(values):
                continue
            if len(values) > width and not blank(values[width:]):
                errors.append(RowError(name, number, None, MORE_VALUES))
            else:
                record = {c: v for c, v in zip(header, values, strict=False) if c}
                checked = check_row(name, number, record)
                if isinstance(checked, DeliveryRow):
                    rows.append(checked)
                else:
                    errors += checked
        else:
            rows.append(row)
        last = number
        if len(rows) + len(errors) >= size:
            yield Chunk(rows, errors, last)
            rows, errors = [], []
    if rows or errors:
        yield Chunk(rows, errors, last)


def _plain(
    number: int, values: Sequence[object], width: int, where: tuple[int, ...]
) -> DeliveryRow | None:
    """The row when it is plainly right (text cells of a CSV, every rule met), checked
    quickly; None for anything else, which `check_row` then reads and names."""
    if len(values) != width:
        return None
    try:
        cells = [values[i].strip() if i >= 0 else "" for i in where]  # type: ignore[attr-defined]
    except AttributeError:  # a spreadsheet's number, date or empty cell
        return None
    serial, order, day, lot, replaces = cells
    if not (
        0 < len(serial) <= MAX_SERIAL
        and SERIAL.match(serial)
        and 0 < len(order) <= 100
        and order.isprintable()
        and len(lot) <= MAX_LOT
        and (not lot or lot.isprintable())
        and len(day) == 10
    ):
        return None
    if replaces and (
        replaces == serial or len(replaces) > MAX_SERIAL or not SERIAL.match(replaces)
    ):
        return None
    try:
        delivered_on = date.fromisoformat(day)
    except ValueError:
        return None
    return DeliveryRow(number, serial, order, delivered_on, lot, replaces)


class Rereadable:
    """The file, to be read from its start once per pass, and its SHA-256. Bytes and
    seekable files are read where they are; any other stream is copied to a temporary
    file first (never held in memory)."""

    def __init__(self, source: bytes | IO[bytes], start: int = 0) -> None:
        self._source, self._start = source, start
        self.digest = self._hash()

    def open(self) -> Source:
        if isinstance(self._source, bytes):
            return self._source
        self._source.seek(self._start)
        return cast(Source, self._source)

    def _hash(self) -> str:
        if isinstance(self._source, bytes):
            return hashlib.sha256(self._source).hexdigest()
        digest = hashlib.sha256()
        stream = self.open()
        assert not isinstance(stream, bytes)
        while block := stream.read(1 << 20):
            digest.update(block)
        return digest.hexdigest()


@contextmanager
def rereadable(data: Source, limits: Limits | None = None) -> Iterator[Rereadable]:
    if isinstance(data, bytes):
        yield Rereadable(data)
        return
    seekable = getattr(data, "seekable", None)
    if seekable is not None and seekable():
        stream = cast(IO[bytes], data)
        yield Rereadable(stream, stream.tell())
        return
    cap = (limits or manifest_limits()).max_bytes
    with tempfile.TemporaryFile() as copy:
        shutil.copyfileobj(_Head(data, cap + 1), copy)  # type: ignore[arg-type]
        copy.seek(0)
        yield Rereadable(copy)


class _Head(io.RawIOBase):
    """At most `limit` bytes of a stream (the reader refuses a file beyond its limit)."""

    def __init__(self, stream: object, limit: int) -> None:
        super().__init__()
        self._stream, self._left = stream, limit

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size < 0 else min(size, self._left)
        data: bytes = self._stream.read(size)  # type: ignore[attr-defined]
        self._left -= len(data)
        return data
