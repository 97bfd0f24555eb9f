"""coalition.tabular: one streaming reader of uploaded tables, within limits, and export
cells that no spreadsheet runs as formulas. Pure: no database."""

import csv
import io
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import IO

import pytest
from openpyxl import Workbook

from coalition.errors import FileRejected
from coalition.tabular import Limits, Source, neutralise, open_zip, read_rows

SMALL = Limits(max_bytes=100_000, max_rows=3, max_columns=5, max_cell_chars=20)
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
)
SHEET_TAIL = b"</t></is></c></row></sheetData></worksheet>"


def rows(source: Source, name: str = "t.csv", limits: Limits = SMALL) -> list[tuple[int, list]]:
    return [(n, list(v)) for n, v in read_rows(source, name, limits)]


def refused(source: Source, name: str = "t.csv", limits: Limits = SMALL) -> list[str]:
    with pytest.raises(FileRejected) as caught:
        rows(source, name, limits)
    return [str(e) for e in caught.value.errors]


def xlsx(*table: Sequence[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(archive: bytes, member: str, write: Callable[[IO[bytes]], object]) -> bytes:
    """The archive with `member` rewritten by `write` (deflated, level 1 for speed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new,
    ):
        for info in old.infolist():
            with new.open(info.filename, "w") as target:
                if info.filename == member:
                    write(target)
                else:
                    target.write(old.read(info.filename))
    return out.getvalue()


def writing(data: bytes) -> Callable[[IO[bytes]], object]:
    return lambda member: member.write(data)


def xlsx_bomb(megabytes: int) -> bytes:
    """A real workbook whose sheet XML is valid and holds one cell of `megabytes` MiB of '0':
    a few MB on the wire; whoever inflates it needs the whole of it in memory."""

    def write(sheet: IO[bytes]) -> None:
        sheet.write(SHEET_HEAD)
        chunk = b"0" * (1 << 20)
        for _ in range(megabytes):
            sheet.write(chunk)
        sheet.write(SHEET_TAIL)

    return rezip(xlsx(["reference"]), SHEET, write)


def declare_size(archive: bytes, member: str, size: int) -> bytes:
    """The archive with the uncompressed size of `member` in its ZIP directory replaced."""
    data = bytearray(archive)
    start = data.find(b"PK\x01\x02")
    while start != -1:
        length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + length] == member.encode():
            data[start + 24 : start + 28] = size.to_bytes(4, "little")
            return bytes(data)
        start = data.find(b"PK\x01\x02", start + 4)
    raise AssertionError(f"{member} is not in the archive")


class Stream(io.RawIOBase):
    """A file object that cannot seek, as a network upload may be."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(min(len(buffer), 7))  # short reads on purpose
        buffer[: len(chunk)] = chunk
        return len(chunk)


# CSV


def test_csv_rows_are_numbered_from_the_header_and_records_not_lines() -> None:
    data = '\ufeffa,b\n1,"two\nlines"\n\n3,4\n'.encode()
    assert rows(data) == [(1, ["a", "b"]), (2, ["1", "two\nlines"]), (3, []), (4, ["3", "4"])]


def test_a_binary_file_object_reads_like_bytes_and_stays_open() -> None:
    data = b"a,b\n1,2\n"
    upload = io.BytesIO(data)
    assert rows(upload) == rows(data) == [(1, ["a", "b"]), (2, ["1", "2"])]
    assert not upload.closed
    assert rows(Stream(data)) == rows(data)
    assert rows(Stream(xlsx(["a", "b"], [1, 2])), "t.xlsx") == [(1, ["a", "b"]), (2, [1, 2])]


def test_a_semicolon_header_makes_semicolon_the_delimiter() -> None:
    assert rows(b"a;b\n1,5;x\n") == [(1, ["a", "b"]), (2, ["1,5", "x"])]
    # A comma header keeps the comma, whatever the values hold.
    assert rows(b"a,b\n1;5,x\n") == [(1, ["a", "b"]), (2, ["1;5", "x"])]


def test_a_file_over_the_byte_limit_is_refused_before_reading_or_while_streaming() -> None:
    big = b"a\n" + b"x\n" * 600
    message = "t.csv: the file is larger than 1,000 bytes (the limit is IMPORT_MAX_BYTES)"
    assert refused(big, limits=Limits(max_bytes=1_000)) == [message]
    assert refused(io.BytesIO(big), limits=Limits(max_bytes=1_000)) == [message]
    assert refused(Stream(big), limits=Limits(max_bytes=1_000)) == [message]
    assert refused(Stream(big), "t.xlsx", Limits(max_bytes=1_000)) == [
        message.replace("t.csv", "t.xlsx")
    ]


def test_rows_over_the_limit_are_refused_at_the_first_one_too_many() -> None:
    assert len(rows(b"h\n1\n2\n3\n")) == 4
    assert refused(b"h\n1\n2\n3\n4\n5\n") == [
        "t.csv row 5: more than 3 rows after the header (the limit is IMPORT_MAX_ROWS)"
    ]
    assert refused(xlsx(["h"], [1], [2], [3], [4]), "t.xlsx") == [
        "t.xlsx row 5: more than 3 rows after the header (the limit is IMPORT_MAX_ROWS)"
    ]


def test_a_csv_field_over_the_csv_modules_own_limit_is_a_row_error() -> None:
    """131,072 characters is the csv module's default limit: it used to raise _csv.Error."""
    data = b"a,b\n1,2\n3," + b"x" * 131_073 + b"\n"
    assert refused(data, limits=Limits()) == [
        "t.csv row 3: a value is longer than 10,000 characters (the limit is IMPORT_MAX_CELL_CHARS)"
    ]
    assert rows(b"a\n" + b"x" * 20 + b"\n")[1] == (2, ["x" * 20])
    assert refused(b"a\n" + b"x" * 21 + b"\n") == [
        "t.csv row 2: a value is longer than 20 characters (the limit is IMPORT_MAX_CELL_CHARS)"
    ]


def test_any_other_csv_error_names_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    def reader(lines: Iterator[str], **options: object) -> Iterator[list[str]]:
        yield ["a"]
        raise csv.Error("something new")

    monkeypatch.setattr(csv, "reader", reader)
    assert refused(b"a\n1\n") == ["t.csv row 2: not readable as CSV (something new)"]


def test_text_that_is_not_utf8_is_refused() -> None:
    assert refused(b"a,b\n" + "é".encode("latin-1") + b",2\n") == ["t.csv: not UTF-8 text"]


def test_a_row_wider_than_the_column_limit_is_refused() -> None:
    assert rows(b"a\n1,2,3,4,5,,,\n")[1] == (2, ["1", "2", "3", "4", "5", "", "", ""])
    assert refused(b"a\n1,2,3,4,5,6\n") == [
        "t.csv row 2: more than 5 columns (the limit is IMPORT_MAX_COLUMNS)"
    ]


def test_only_csv_and_xlsx_are_read() -> None:
    assert refused(b"a\n", "t.txt") == ["t.txt: must be a .csv or .xlsx file"]


# XLSX


def test_xlsx_rows_keep_their_types() -> None:
    data = xlsx(["a", "b"], [Decimal("1.5"), datetime(2024, 3, 4)], [], [None, "x"])
    assert rows(data, "t.xlsx") == [
        (1, ["a", "b"]),
        (2, [1.5, datetime(2024, 3, 4)]),
        (3, []),
        (4, [None, "x"]),
    ]


def test_an_xlsx_cell_over_the_limit_names_its_column() -> None:
    data = xlsx(["a", "note"], ["1", "y" * 21])
    assert refused(data, "t.xlsx") == [
        "t.xlsx row 2, column note: is longer than 20 characters "
        "(the limit is IMPORT_MAX_CELL_CHARS)"
    ]
    assert refused(xlsx(["a"], ["1", "y" * 21]), "t.xlsx") == [
        "t.xlsx row 2, column B: is longer than 20 characters (the limit is IMPORT_MAX_CELL_CHARS)"
    ]


def test_a_wrong_declared_dimension_neither_hides_rows_nor_pads_them() -> None:
    data = xlsx(["a"], [1], [2])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    assert b'<dimension ref="A1:A3"' in sheet
    for ref in (b"A1", b"A1:XFD1048576"):
        wrong = sheet.replace(b"A1:A3", ref)
        lying = rezip(data, SHEET, writing(wrong))
        assert rows(lying, "t.xlsx") == [(1, ["a"]), (2, [1]), (3, [2])]


def test_a_damaged_workbook_is_unreadable_not_a_crash() -> None:
    assert refused(b"PK not really", "t.xlsx") == ["t.xlsx: not a readable .xlsx workbook"]
    cut = rezip(xlsx(["a"], [1]), SHEET, writing(SHEET_HEAD + b"x"))
    assert refused(cut, "t.xlsx") == ["t.xlsx: not a readable .xlsx workbook"]


# ZIP limits: checked from the directory, before anything is inflated


def forbid_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, opening any ZIP member fails the test."""

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", fail)


def test_a_member_compressed_beyond_the_ratio_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = xlsx_bomb(20)  # about 1,000 to 1
    forbid_inflating(monkeypatch)
    assert len(bomb) < 200_000
    errors = refused(bomb, "t.xlsx", Limits())
    assert len(errors) == 1
    assert errors[0].startswith("t.xlsx: xl/worksheets/sheet1.xml is compressed ")
    assert errors[0].endswith(" to 1, more than 100 to 1 (the limit is IMPORT_MAX_ZIP_RATIO)")


def test_a_zip_unzipping_beyond_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = xlsx(["a"], *[[f"row {i}"] for i in range(2_000)])
    size = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    forbid_inflating(monkeypatch)
    assert refused(data, "t.xlsx", Limits(max_unzipped_bytes=50_000)) == [
        f"t.xlsx: unzips to {size:,} bytes, more than 50,000 bytes "
        "(the limit is IMPORT_MAX_UNZIPPED_BYTES)"
    ]


def test_a_zip_of_too_many_members_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(11):
            archive.writestr(f"{i}.csv", "")
    forbid_inflating(monkeypatch)
    with pytest.raises(FileRejected) as caught:
        open_zip(out.getvalue(), "r.zip", Limits(max_zip_members=10))
    assert [str(e) for e in caught.value.errors] == [
        "r.zip: holds 11 files, more than 10 (the limit is IMPORT_MAX_ZIP_MEMBERS)"
    ]


def test_a_directory_that_understates_a_member_makes_it_unreadable_not_larger() -> None:
    """zipfile stops inflating at the declared size and then refuses the CRC."""
    honest = xlsx_bomb(30)
    lying = declare_size(honest, SHEET, 2_000)
    assert refused(honest, "t.xlsx", Limits())[0].endswith("(the limit is IMPORT_MAX_ZIP_RATIO)")
    assert refused(lying, "t.xlsx", Limits()) == ["t.xlsx: not a readable .xlsx workbook"]


# Limits and settings


def test_limits_come_from_settings_and_are_checked() -> None:
    given = Limits.from_settings(SimpleNamespace(IMPORT_MAX_ROWS=5, IMPORT_MAX_BYTES=None))
    assert given == Limits(max_rows=5)
    with pytest.raises(ValueError, match="IMPORT_MAX_ROWS must be at least 1"):
        Limits(max_rows=0)


def test_the_module_imports_no_django() -> None:
    code = (
        "import sys, coalition.tabular as t; assert t.Limits.from_settings() == t.Limits(); "
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# Exports


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain = text", "plain = text"),
        ("", ""),
        (Decimal("-12.50"), Decimal("-12.50")),
        (-3, -3),
        (date(2024, 3, 4), date(2024, 3, 4)),
        (None, None),
    ],
)
def test_neutralise_keeps_formulas_from_running(value: object, exported: object) -> None:
    assert neutralise(value) == exported
