"""Hypothesis strategies of import files: tables of valid and broken cells written as CSV
(any separator, quoting, line ending and encoding) or XLSX, and files that only look like
one (random bytes, an empty file, a zip that is not a workbook, very long cells, too many
columns)."""

import csv
import io
import zipfile
from collections.abc import Sequence

from hypothesis import strategies as st
from openpyxl import Workbook

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]
SEPARATORS = [",", ";", "\t", "|"]
QUOTING = [csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, csv.QUOTE_NONE]
NASTY = ["", " ", '"', "'", "=1+1", "\x00", "\ud800", "é", "Ї", "1e9999", "NaN", "-0", "∞"]
LONG_CELL = "x" * 10_001  # one over IMPORT_MAX_CELL_CHARS
MANY_COLUMNS = 1_001  # one over IMPORT_MAX_COLUMNS

Table = list[list[str]]


def cells(valid: Sequence[str]) -> st.SearchStrategy[str]:
    # Mostly the column's kind of value, so that some files pass and reach the writes.
    good = st.sampled_from(list(valid) or [""])
    return st.one_of(good, good, good, good, good, st.sampled_from(NASTY), st.text(max_size=12))


@st.composite
def _nearly_good(draw: st.DrawFn, columns: dict[str, Sequence[str]]) -> Table:
    """The documented header and rows of the columns' first (valid) values, with at most
    one cell changed: files that get past the reading to the rules and the writes."""
    names = list(columns)
    good = [values[0] if values else "" for values in columns.values()]
    # The first column is the row's key (a reference, a serial): one per row.
    rows = [[f"{good[0]}-{n}", *good[1:]] for n in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(names) - 1))
        rows[row][column] = draw(cells(columns[names[column]]))
    return [names, *rows]


def tables(columns: dict[str, Sequence[str]]) -> st.SearchStrategy[Table]:
    """A header (the documented one, shuffled, or partial with stray names) and up to four
    rows whose cells are mostly the column's kind of value; or a nearly good file."""
    return st.one_of(_nearly_good(columns), _any_table(columns))


def _any_table(columns: dict[str, Sequence[str]]) -> st.SearchStrategy[Table]:
    names = list(columns)
    header = st.one_of(
        st.just(names),
        st.just(names),
        st.permutations(names),
        st.lists(st.sampled_from([*names, "", "extra", names[0].upper()]), max_size=len(names) + 2),
    )

    def rows(head: list[str]) -> st.SearchStrategy[Table]:
        row = st.tuples(*(cells(columns.get(name, [])) for name in head)).map(list)
        return st.lists(row, max_size=4).map(lambda body: [head, *body])

    return header.flatmap(rows)


def _csv_text(table: Table, separator: str, quoting: int, newline: str) -> str:
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=separator, quoting=quoting, lineterminator=newline, escapechar="\\"
    )
    for row in table:
        writer.writerow(row)
    return out.getvalue()


@st.composite
def csv_files(draw: st.DrawFn, columns: dict[str, Sequence[str]]) -> bytes:
    table = draw(tables(columns))
    if draw(st.integers(0, 3)) == 0 and len(table) > 1:  # a row shaped to break a limit
        table[1] = draw(
            st.sampled_from(
                [[*table[1][:1], LONG_CELL], ["1"] * MANY_COLUMNS, table[1][:1], [*table[1], "x"]]
            )
        )
    text = _csv_text(
        table,
        draw(st.sampled_from(SEPARATORS)),
        draw(st.sampled_from(QUOTING)),
        draw(st.sampled_from(["\n", "\r\n"])),
    )
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


def _storable(char: str) -> bool:
    return (char >= " " or char == "\t") and not "\ud800" <= char <= "\udfff"


def xlsx_of(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in table:
        # A real XLSX cannot hold control characters or lone surrogates: drop them.
        sheet.append(["".join(c for c in cell if _storable(c)) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def zips_not_xlsx(draw: st.DrawFn) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in draw(
            st.lists(st.sampled_from(["a.txt", "xl/x.xml", "[Content_Types].xml"]), unique=True)
        ):
            archive.writestr(name, draw(st.binary(max_size=200)))
    return out.getvalue()


def files(
    columns: dict[str, Sequence[str]], *, xlsx: bool = True
) -> st.SearchStrategy[tuple[str, bytes]]:
    """(file name, bytes): mostly tables as CSV, else XLSX and things that only claim to be."""
    plain = _nearly_good(columns).map(lambda t: ("fuzz.csv", _csv_text(t, ",", 0, "\n").encode()))
    kinds = [
        plain,
        plain,
        csv_files(columns).map(lambda data: ("fuzz.csv", data)),
        csv_files(columns).map(lambda data: ("fuzz.csv", data)),
        st.binary(max_size=300).map(lambda data: ("fuzz.csv", data)),
        st.just(("empty.csv", b"")),
    ]
    if xlsx:
        kinds += [
            tables(columns).map(lambda table: ("fuzz.xlsx", xlsx_of(table))),
            st.binary(max_size=300).map(lambda data: ("fuzz.xlsx", data)),
            zips_not_xlsx().map(lambda data: ("fuzz.xlsx", data)),
            st.just(("empty.xlsx", b"")),
        ]
    return st.one_of(*kinds)
