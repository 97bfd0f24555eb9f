"""Reading uploaded tables (CSV, XLSX) row by row within limits, and writing cells that no
spreadsheet runs as formulas. No Django: callers pass `Limits.from_settings()`.

Every import of the platform (pledges, rates, and later requirements, offers and delivery
manifests) reads its file through `read_rows`, which yields (row number, values) with the
header as row 1 and never holds the whole table. Whatever breaks a limit or cannot be read
stops the reading with `FileRejected`, naming the file, the row and the column where known
and the setting that holds the limit.

The limits, each an IMPORT_* setting (defaults in `Limits`):

- IMPORT_MAX_BYTES: the file as uploaded. A seekable file is measured before reading;
  any other stream is counted as it is read.
- IMPORT_MAX_ROWS: rows after the header, blank ones included (they cost time too).
- IMPORT_MAX_COLUMNS: values in a row (a spreadsheet row may reach column XFD cheaply).
- IMPORT_MAX_CELL_CHARS: characters in one value; also the csv module's field limit.
- IMPORT_MAX_UNZIPPED_BYTES, IMPORT_MAX_ZIP_RATIO, IMPORT_MAX_ZIP_MEMBERS: an XLSX or any
  other ZIP. Its directory is checked before anything is inflated: the declared sizes of
  all members together, each member's compression ratio, and the number of members.
  The declared sizes also bound what is actually inflated: Python's zipfile stops a member
  at its declared size and refuses it when the CRC then differs, so a directory that lies
  makes the file unreadable, not larger.
"""

import csv
import io
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from itertools import chain, count
from typing import IO, Any, Protocol, cast

from coalition.errors import FileRejected, Message, RowError, _, ngettext

# Members smaller than this are not held to the ratio limit: however well they compress,
# they cannot inflate to much (the total is bounded by IMPORT_MAX_UNZIPPED_BYTES anyway).
RATIO_GRACE_BYTES = 1_000_000
# OWASP "CSV injection": text starting with these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Limits:
    """What one uploaded file may hold; each field is the setting named beside it."""

    max_bytes: int = 20_000_000  # IMPORT_MAX_BYTES
    max_rows: int = 100_000  # IMPORT_MAX_ROWS
    max_columns: int = 1_000  # IMPORT_MAX_COLUMNS
    max_cell_chars: int = 10_000  # IMPORT_MAX_CELL_CHARS
    max_unzipped_bytes: int = 200_000_000  # IMPORT_MAX_UNZIPPED_BYTES
    max_zip_ratio: int = 100  # IMPORT_MAX_ZIP_RATIO
    max_zip_members: int = 1_000  # IMPORT_MAX_ZIP_MEMBERS

    def __post_init__(self) -> None:
        for limit in fields(self):
            if getattr(self, limit.name) < 1:
                raise ValueError(f"{setting_name(limit.name)} must be at least 1")

    @classmethod
    def from_settings(cls, settings: object = None) -> "Limits":
        """The limits of `settings` (any object with IMPORT_* attributes), by default those
        of the running Django project; the defaults above for whatever is not set. This
        module never imports Django: outside a configured Django process it gives the
        defaults."""
        if settings is None:
            conf = sys.modules.get("django.conf")
            settings = getattr(conf, "settings", None)
            if settings is None or not getattr(settings, "configured", False):
                return cls()
        given = {f.name: getattr(settings, setting_name(f.name), None) for f in fields(cls)}
        return cls(**{name: value for name, value in given.items() if value is not None})


def setting_name(field_name: str) -> str:
    """The setting of a `Limits` field: max_rows -> IMPORT_MAX_ROWS."""
    return f"IMPORT_{field_name.upper()}"


class BinaryFile(Protocol):
    """What is read of an uploaded file object (a Django UploadedFile, an open file)."""

    def read(self, size: int = -1, /) -> bytes: ...


Source = bytes | BinaryFile


def read_rows(source: Source, name: str, limits: Limits) -> Iterator[tuple[int, Sequence[object]]]:
    """The rows of a .csv or .xlsx file (chosen by `name`), each with its number: the
    header is row 1. Raises FileRejected at the first limit broken or unreadable part."""
    lower = name.lower()
    if lower.endswith(".csv"):
        return read_csv(source, name, limits)
    if lower.endswith(".xlsx"):
        return read_xlsx(source, name, limits)
    raise _rejected(name, Message(_("must be a .csv or .xlsx file")))


def read_csv(source: Source, name: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """The records of a UTF-8 CSV file, decoded as they are read. The delimiter is the one
    of `,`, `;` (as European spreadsheets write CSV) and tab that the header line uses most
    (a comma where none is used)."""
    # Process-wide in the csv module (every csv reader of the process obeys it): each
    # reader here sets it from its own limits before reading.
    csv.field_size_limit(limits.max_cell_chars)
    text = io.TextIOWrapper(
        io.BufferedReader(_Capped(_stream(source, name, limits), name, limits.max_bytes)),
        encoding="utf-8-sig",
        newline="",
    )
    number = 0
    try:
        header = text.readline()
        delimiter = delimiter_of(header)
        reader = csv.reader(chain([header], text), delimiter=delimiter)
        for values in reader:
            number += 1
            _check_shape(name, number, values, limits)
            yield number, values
    except UnicodeDecodeError:
        # Decoded a block ahead of the parser, so the row is not known.
        raise _rejected(name, Message(_("not UTF-8 text"))) from None
    except csv.Error as error:
        message = Message(_("not readable as CSV (%(reason)s)"), reason=str(error))
        if "field limit" in str(error):
            message = Message(
                ngettext(
                    "a value is longer than %(limit)s character (the limit is %(setting)s)",
                    "a value is longer than %(limit)s characters (the limit is %(setting)s)",
                    limits.max_cell_chars,
                ),
                limit=limits.max_cell_chars,
                setting=setting_name("max_cell_chars"),
            )
        raise _rejected(name, message, number + 1) from None
    finally:
        text.detach()  # leave the caller's file open


DELIMITERS = (",", ";", "\t")  # in order of preference where counts tie


def delimiter_of(header: str) -> str:
    """The delimiter a CSV header line uses: the most frequent of DELIMITERS."""
    return max(DELIMITERS, key=lambda d: (header.count(d), -DELIMITERS.index(d)))


def read_xlsx(source: Source, name: str, limits: Limits) -> Iterator[tuple[int, list[object]]]:
    """The rows of the first sheet of a workbook, as values (formulas as last computed).
    The ZIP directory is checked before openpyxl reads anything."""
    unreadable = Message(_("not a readable .xlsx workbook"))
    stream = _seekable(source, name, limits)
    open_zip(stream, name, limits, unreadable=unreadable).close()
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise _rejected(name, unreadable) from None
    try:
        if not book.worksheets:
            raise _rejected(name, unreadable)
        sheet = book.worksheets[0]
        # Not the declared dimensions: they may be wrong, and would pad every row to them.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header: list[object] = []
        for number in count(1):
            try:
                values = list(next(rows))
            except StopIteration:
                return
            except Exception:
                raise _rejected(name, unreadable) from None
            _check_shape(name, number, values, limits)
            _check_cells(name, number, values, header, limits)
            if number == 1:
                header = values
            yield number, values
    finally:
        book.close()


def open_zip(
    source: Source, name: str, limits: Limits, *, unreadable: Message | None = None
) -> zipfile.ZipFile:
    """A ZIP archive whose directory is within the limits; nothing inflated yet."""
    try:
        archive = zipfile.ZipFile(_seekable(source, name, limits))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _rejected(name, unreadable or Message(_("not a readable ZIP archive"))) from None
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    dense = [
        m
        for m in members
        if m.file_size > RATIO_GRACE_BYTES
        and m.file_size > limits.max_zip_ratio * max(m.compress_size, 1)
    ]
    problem = None
    if len(members) > limits.max_zip_members:
        problem = Message(
            _("holds %(count)s files, more than %(limit)s (the limit is %(setting)s)"),
            count=len(members),
            limit=limits.max_zip_members,
            setting=setting_name("max_zip_members"),
        )
    elif total > limits.max_unzipped_bytes:
        problem = Message(
            _("unzips to %(size)s, more than %(limit)s (the limit is %(setting)s)"),
            size=_size(total),
            limit=_size(limits.max_unzipped_bytes),
            setting=setting_name("max_unzipped_bytes"),
        )
    elif dense:
        ratio = dense[0].file_size / max(dense[0].compress_size, 1)
        problem = Message(
            _(
                "%(member)s is compressed %(ratio)s to 1, more than %(limit)s to 1 "
                "(the limit is %(setting)s)"
            ),
            member=dense[0].filename,
            ratio=round(ratio),
            limit=limits.max_zip_ratio,
            setting=setting_name("max_zip_ratio"),
        )
    if problem:
        archive.close()
        raise _rejected(name, problem)
    return archive


def neutralise(value: object) -> object:
    """A value safe for a cell of an exported CSV or XLSX: text that a spreadsheet would
    run as a formula (starting with = + - @, tab or carriage return) gets a leading
    apostrophe, as OWASP advises; numbers, dates and other text are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def column_letter(number: int) -> str:
    """The spreadsheet name of the column: 1 -> A, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _check_shape(name: str, number: int, values: Sequence[object], limits: Limits) -> None:
    if number > limits.max_rows + 1:
        message = Message(
            ngettext(
                "more than %(limit)s row after the header (the limit is %(setting)s)",
                "more than %(limit)s rows after the header (the limit is %(setting)s)",
                limits.max_rows,
            ),
            limit=limits.max_rows,
            setting=setting_name("max_rows"),
        )
        raise _rejected(name, message, number)
    if len(values) > limits.max_columns and any(
        v not in (None, "") for v in values[limits.max_columns :]
    ):
        message = Message(
            ngettext(
                "more than %(limit)s column (the limit is %(setting)s)",
                "more than %(limit)s columns (the limit is %(setting)s)",
                limits.max_columns,
            ),
            limit=limits.max_columns,
            setting=setting_name("max_columns"),
        )
        raise _rejected(name, message, number)


def _check_cells(
    name: str, number: int, values: Sequence[object], header: Sequence[object], limits: Limits
) -> None:
    for index, value in enumerate(values):
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            title = header[index] if index < len(header) else None
            column = str(title).strip() if title else column_letter(index + 1)
            message = Message(
                ngettext(
                    "is longer than %(limit)s character (the limit is %(setting)s)",
                    "is longer than %(limit)s characters (the limit is %(setting)s)",
                    limits.max_cell_chars,
                ),
                limit=limits.max_cell_chars,
                setting=setting_name("max_cell_chars"),
            )
            raise _rejected(name, message, number, column)


class _Capped(io.RawIOBase):
    """A read-only stream that refuses to deliver more than `limit` bytes."""

    def __init__(self, stream: BinaryFile, name: str, limit: int) -> None:
        super().__init__()
        self._stream, self._name, self._limit, self._read = stream, name, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._stream.read(len(view))
        self._read += len(data)
        if self._read > self._limit:
            raise _too_big(self._name, self._limit)
        view[: len(data)] = data
        return len(data)


def _stream(source: Source, name: str, limits: Limits) -> BinaryFile:
    """The source as a stream, refused at once where its size is known and too big."""
    if isinstance(source, bytes):
        if len(source) > limits.max_bytes:
            raise _too_big(name, limits.max_bytes)
        return io.BytesIO(source)
    # A ZIP member would inflate to its end to be measured; open_zip checked its size.
    if _is_seekable(source) and not isinstance(source, zipfile.ZipExtFile):
        file = cast(IO[bytes], source)
        here = file.tell()
        size = file.seek(0, io.SEEK_END) - here
        file.seek(here)
        if size > limits.max_bytes:
            raise _too_big(name, limits.max_bytes)
    return source


def _seekable(source: Source, name: str, limits: Limits) -> IO[bytes]:
    """A seekable stream of the source (a ZIP is read from its end), within max_bytes."""
    stream = _stream(source, name, limits)
    if _is_seekable(stream):
        return cast(IO[bytes], stream)
    return io.BytesIO(io.BufferedReader(_Capped(stream, name, limits.max_bytes)).read())


def _is_seekable(stream: object) -> bool:
    seekable = getattr(stream, "seekable", None)
    return bool(seekable and seekable())


def _too_big(name: str, limit: int) -> FileRejected:
    message = Message(
        _("the file is larger than %(size)s (the limit is %(setting)s)"),
        size=_size(limit),
        setting=setting_name("max_bytes"),
    )
    return _rejected(name, message)


def _size(count: int) -> Message:
    if count % 1_000_000 == 0:
        return Message(_("%(count)s MB"), count=count // 1_000_000)
    if count >= 1_000_000:
        return Message(_("%(count)s MB"), count=Decimal(count).scaleb(-6).quantize(Decimal("0.1")))
    return Message(ngettext("%(count)s byte", "%(count)s bytes", count), count=count)


def _rejected(
    name: str, message: Message, row: int | None = None, column: str | None = None
) -> FileRejected:
    return FileRejected([RowError(name, row, column, message)])
