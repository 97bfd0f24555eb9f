"""Reading a pledge file (docs/CONTRACT.md), CSV or XLSX, with no Django.

The file is streamed through `coalition.tabular` within its limits (IMPORT_* settings).
Each row is checked on its own here (formats, codes, amounts); what needs the database
(membership on the date, rates, the contribution's history) is checked by the import
service. Every problem names the file, the row (the header is row 1) and the column.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pycountry

from coalition.errors import FileRejected, Message, RowError, _, message_of
from coalition.finance.money import NOT_DECIMAL, POSITIVE, is_currency, parse_amount, to_minor
from coalition.records import IS_REQUIRED, NO_ROWS, iso_date, read_records, text
from coalition.tabular import Limits, Source
from coalition.text import longer_than, text_problem

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


def not_country(value: str) -> Message:
    return Message(_("'%(value)s' is not an ISO 3166-1 alpha-2 country code"), value=value)


def not_currency(value: str) -> Message:
    return Message(_("'%(value)s' is not an ISO 4217 currency code"), value=value)


def read(
    data: Source, name: str, limits: Limits | None = None
) -> Iterator[tuple[int, dict[str, object] | RowError]]:
    """The pledge file's data rows as records (coalition.records)."""
    return read_records(data, name, columns=COLUMNS, required=REQUIRED, limits=limits)


def _amount(value: object, currency: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(NOT_DECIMAL)
    if isinstance(value, int | float):
        value = repr(value) if isinstance(value, float) else str(value)
    amount = parse_amount(text(value))
    if amount <= 0:
        raise ValueError(POSITIVE)
    if is_currency(currency):
        to_minor(amount, currency)  # raises when too many decimals
    return amount


def check_row(
    name: str, number: int, raw: dict[str, Any]
) -> tuple[PledgeRow | None, list[RowError]]:
    """One data row, typed; or every problem it has."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def fail(column: str, message: Message) -> None:
        errors.append(RowError(name, number, column, message))

    cells = {c: text(raw.get(c)) for c in COLUMNS}
    for column in COLUMNS:
        if problem := text_problem(cells[column]):
            fail(column, problem)
            cells[column] = ""
    for column in REQUIRED:
        if not cells[column]:
            fail(column, IS_REQUIRED)
    if cells["reference"] and len(cells["reference"]) > MAX_REFERENCE:
        fail("reference", longer_than(MAX_REFERENCE))
    elif cells["reference"] and not REFERENCE.match(cells["reference"]):
        fail(
            "reference",
            Message(
                _(
                    "may hold only letters, digits, '.', '_' and '-', and starts with a letter "
                    "or a digit (e.g. LV-2025-001)"
                )
            ),
        )
    values["reference"] = cells["reference"]
    if cells["date"]:
        try:
            values["date"] = iso_date(raw.get("date"))
        except ValueError as error:
            fail("date", message_of(error))
    for column in ("donor", "origin"):
        code = cells[column].upper()
        if code and not is_country(code):
            fail(column, not_country(cells[column]))
        values[column] = code
    for column, choices in (("channel", CHANNELS), ("status", STATUSES)):
        word = cells[column].lower()
        if word and word not in choices:
            message = Message(
                _("must be one of %(choices)s, not '%(value)s'"),
                choices=", ".join(choices),
                value=cells[column],
            )
            fail(column, message)
        values[column] = word
    currency = cells["currency"].upper()
    if currency and not is_currency(currency):
        fail("currency", not_currency(cells["currency"]))
    values["currency"] = currency
    if cells["amount"]:
        try:
            values["amount"] = _amount(raw.get("amount"), currency)
        except ValueError as error:
            fail("amount", message_of(error))
    category = cells["category"]
    if category and (len(category) > MAX_CATEGORY or not SLUG.match(category)):
        fail(
            "category",
            Message(
                _("must be a slug of lower-case letters, digits and hyphens (e.g. tactical-recon)")
            ),
        )
    values["category"] = category
    if len(cells["note"]) > MAX_NOTE:
        fail("note", longer_than(MAX_NOTE))
    values["note"] = cells["note"]
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
                            Message(
                                _(
                                    "contribution %(reference)s is %(status)s twice "
                                    "(first in row %(first)s)"
                                ),
                                reference=row.reference,
                                status=row.status,
                                first=str(first_seen[key]),
                            ),
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
        errors.append(RowError(name, None, None, NO_ROWS))
    return rows, errors
