"""Reading a pledge file (docs/CONTRACT.md), CSV or XLSX, with no Django.

The file is streamed through `coalition.tabular` within its limits (IMPORT_* settings).
Each row is checked on its own here (formats, codes, amounts); what needs the database
(membership on the date, rates, the contribution's history) is checked by the import
service. Every problem names the file, the row (the header is row 1) and the column.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pycountry

from coalition import tabular
from coalition.errors import FileRejected, RowError
from coalition.finance.money import is_currency, parse_amount, to_minor
from coalition.tabular import Limits, Source
from coalition.text import text_problem

COLUMNS = (
    "reference",
    "date",
    "donor",
    "channel",
    "status",
    "amount",
    "currency",
    "category",
    "origin",
    "note",
)
REQUIRED = COLUMNS[:7]
CHANNELS = ("common-fund", "national", "industry")
STATUSES = ("pledged", "committed", "disbursed")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_REFERENCE = 100
# References appear in URLs and file names: a plain alphabet, no '/', '?', '#' or spaces.
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_CATEGORY = 80
MAX_NOTE = 2000
MAX_ERRORS = 500


@dataclass(frozen=True)
class PledgeRow:
    row: int
    reference: str
    date: date
    donor: str
    channel: str
    status: str
    amount: Decimal
    currency: str
    category: str = ""
    origin: str = ""
    note: str = ""

    @property
    def amount_minor(self) -> int:
        return to_minor(self.amount, self.currency)


def is_country(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _blank(values: Sequence[object]) -> bool:
    return not any(_text(v) for v in values)


def _header(table: Iterator[tuple[int, Sequence[object]]], name: str) -> list[str]:
    """The columns named by row 1; raises FileRejected with every problem of the header."""
    first = next(table, None)
    # A blank first row reads as a header naming nothing, unless nothing follows it.
    if first is None or (_blank(first[1]) and all(_blank(v) for _, v in table)):
        raise FileRejected(
            [RowError(name, None, None, "the file is empty: a header row is required")]
        )
    header = [_text(v).lower() for v in first[1]]
    errors = []
    for index, column in enumerate(header):
        if column and column not in COLUMNS:
            errors.append(
                RowError(name, 1, column, f"unknown column (the columns are: {', '.join(COLUMNS)})")
            )
        elif column and column in header[:index]:
            errors.append(RowError(name, 1, column, "the column appears twice"))
    errors += [RowError(name, 1, c, "missing column") for c in REQUIRED if c not in header]
    if errors:
        raise FileRejected(errors)
    return header


def read(
    data: Source, name: str, limits: Limits | None = None
) -> Iterator[tuple[int, dict[str, object] | RowError]]:
    """The data rows as (row number, {column: raw value}), or a row's RowError when it has
    more values than columns; streamed from the file. Raises FileRejected for a problem of
    the whole file (format, limits, header), which stops the reading."""
    table = tabular.read_rows(data, name, limits or Limits.from_settings())
    header = _header(table, name)
    for number, values in table:
        if _blank(values):
            continue
        if len(values) > len(header) and not _blank(values[len(header) :]):
            yield number, RowError(name, number, None, "more values than columns")
            continue
        yield number, {c: v for c, v in zip(header, values, strict=False) if c}


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"must be an ISO date (YYYY-MM-DD), not '{text}'") from None


def _amount(value: object, currency: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("must be a decimal number written with '.' (e.g. 1234.56)")
    if isinstance(value, int | float):
        value = repr(value) if isinstance(value, float) else str(value)
    amount = parse_amount(_text(value))
    if amount <= 0:
        raise ValueError("must be greater than zero")
    if is_currency(currency):
        to_minor(amount, currency)  # raises when too many decimals
    return amount


def check_row(
    name: str, number: int, raw: dict[str, Any]
) -> tuple[PledgeRow | None, list[RowError]]:
    """One data row, typed; or every problem it has."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def fail(column: str, message: str) -> None:
        errors.append(RowError(name, number, column, message))

    text = {c: _text(raw.get(c)) for c in COLUMNS}
    for column in COLUMNS:
        if problem := text_problem(text[column]):
            fail(column, problem)
            text[column] = ""
    for column in REQUIRED:
        if not text[column]:
            fail(column, "is required")
    if text["reference"] and len(text["reference"]) > MAX_REFERENCE:
        fail("reference", f"is longer than {MAX_REFERENCE} characters")
    elif text["reference"] and not REFERENCE.match(text["reference"]):
        fail(
            "reference",
            "may hold only letters, digits, '.', '_' and '-', and starts with a letter or "
            "a digit (e.g. LV-2025-001)",
        )
    values["reference"] = text["reference"]
    if text["date"]:
        try:
            values["date"] = _date(raw.get("date"))
        except ValueError as error:
            fail("date", str(error))
    for column in ("donor", "origin"):
        code = text[column].upper()
        if code and not is_country(code):
            fail(column, f"'{text[column]}' is not an ISO 3166-1 alpha-2 country code")
        values[column] = code
    for column, choices in (("channel", CHANNELS), ("status", STATUSES)):
        word = text[column].lower()
        if word and word not in choices:
            fail(column, f"must be one of {', '.join(choices)}, not '{text[column]}'")
        values[column] = word
    currency = text["currency"].upper()
    if currency and not is_currency(currency):
        fail("currency", f"'{text['currency']}' is not an ISO 4217 currency code")
    values["currency"] = currency
    if text["amount"]:
        try:
            values["amount"] = _amount(raw.get("amount"), currency)
        except ValueError as error:
            fail("amount", str(error))
    category = text["category"]
    if category and (len(category) > MAX_CATEGORY or not SLUG.match(category)):
        fail(
            "category",
            "must be a slug of lower-case letters, digits and hyphens (e.g. tactical-recon)",
        )
    values["category"] = category
    if len(text["note"]) > MAX_NOTE:
        fail("note", f"is longer than {MAX_NOTE} characters")
    values["note"] = text["note"]
    if errors:
        errors.sort(key=lambda e: COLUMNS.index(e.column or "reference"))
        return None, errors
    return PledgeRow(row=number, **values), []


def parse(
    data: Source, name: str, limits: Limits | None = None
) -> tuple[list[PledgeRow], list[RowError]]:
    """Every row of the file (bytes or a binary file object) checked on its own, and
    repeated (reference, status) pairs. `limits` defaults to the IMPORT_* settings."""
    rows: list[PledgeRow] = []
    errors: list[RowError] = []
    first_seen: dict[tuple[str, str], int] = {}
    seen_any = False
    try:
        for number, raw in read(data, name, limits):
            seen_any = True
            if isinstance(raw, RowError):
                errors.append(raw)
                continue
            row, problems = check_row(name, number, raw)
            errors += problems
            if row is not None:
                key = (row.reference, row.status)
                if key in first_seen:
                    errors.append(
                        RowError(
                            name,
                            number,
                            "status",
                            f"contribution {row.reference} is {row.status} twice "
                            f"(first in row {first_seen[key]})",
                        )
                    )
                else:
                    first_seen[key] = number
                    rows.append(row)
            if len(errors) >= MAX_ERRORS:
                break
    except FileRejected as rejected:
        errors += rejected.errors
    if not seen_any and not errors:
        errors.append(RowError(name, None, None, "no rows after the header"))
    return rows, errors
