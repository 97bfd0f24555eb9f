"""Reading a requirements file (docs/CONTRACT.md), CSV or XLSX, with no Django: each row
checked on its own (formats, numbers, dates); what needs the database (the category, the
requirement's history) is checked by the import service."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from coalition.errors import FileRejected, Message, RowError, _, message_of
from coalition.records import IS_REQUIRED, NO_ROWS, iso_date, read_records, text, whole_number
from coalition.tabular import Limits, Source
from coalition.text import longer_than, text_problem

COLUMNS = ("reference", "category", "quantity", "weight", "needed_by", "priority", "note")
REQUIRED = COLUMNS[:5]
PRIORITIES = ("critical", "high", "normal")
MAX_REFERENCE = 100
MAX_NOTE = 2000
MAX_WEIGHT = Decimal(10) ** 9
MAX_ERRORS = 500


@dataclass(frozen=True)
class NeedRow:
    row: int
    reference: str
    category: str
    quantity: int
    weight: Decimal
    needed_by: date
    priority: str = "normal"
    note: str = ""


def weight_of(value: object) -> Decimal:
    """A positive decimal weight with at most 6 decimals; ValueError otherwise."""
    written = text(value)
    try:
        weight = Decimal(written) if len(written) <= 30 else Decimal("NaN")
    except InvalidOperation:
        weight = Decimal("NaN")
    if not weight.is_finite() or weight <= 0 or weight > MAX_WEIGHT:
        raise ValueError(
            Message(
                _("must be a number greater than 0 and at most %(limit)s"), limit=int(MAX_WEIGHT)
            )
        )
    if -weight.as_tuple().exponent > 6:  # type: ignore[operator]
        raise ValueError(Message(_("has at most 6 decimal places")))
    return weight


def check_row(
    name: str, number: int, raw: dict[str, object]
) -> tuple[NeedRow | None, list[RowError]]:
    errors: list[RowError] = []
    cells = {c: text(raw.get(c)) for c in COLUMNS}
    values: dict[str, object] = {}

    def read(column: str, parse: object) -> None:
        try:
            values[column] = parse(raw.get(column))  # type: ignore[operator]
        except ValueError as error:
            errors.append(RowError(name, number, column, message_of(error)))

    for column in COLUMNS:
        if problem := text_problem(cells[column]):
            errors.append(RowError(name, number, column, problem))
    for column in REQUIRED:
        if not cells[column]:
            errors.append(RowError(name, number, column, IS_REQUIRED))
    if errors:
        return None, errors
    if len(cells["reference"]) > MAX_REFERENCE:
        errors.append(RowError(name, number, "reference", longer_than(MAX_REFERENCE)))
    values["reference"], values["category"] = cells["reference"], cells["category"].lower()
    read("quantity", whole_number)
    read("weight", weight_of)
    read("needed_by", iso_date)
    priority = cells["priority"].lower() or "normal"
    if priority not in PRIORITIES:
        message = Message(_("must be one of %(choices)s"), choices=", ".join(PRIORITIES))
        errors.append(RowError(name, number, "priority", message))
    values["priority"] = priority
    if len(cells["note"]) > MAX_NOTE:
        errors.append(RowError(name, number, "note", longer_than(MAX_NOTE)))
    values["note"] = cells["note"]
    if errors:
        return None, errors
    return NeedRow(row=number, **values), []  # type: ignore[arg-type]


def parse(
    data: Source, name: str, limits: Limits | None = None
) -> tuple[list[NeedRow], list[RowError]]:
    """Every row checked on its own, and a reference given twice."""
    rows: list[NeedRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    try:
        for number, record in read_records(
            data, name, columns=COLUMNS, required=REQUIRED, limits=limits
        ):
            if isinstance(record, RowError):
                errors.append(record)
                continue
            row, problems = check_row(name, number, record)
            errors += problems
            if row is not None:
                if row.reference in seen:
                    errors.append(
                        RowError(
                            name,
                            number,
                            "reference",
                            Message(
                                _("given twice (first in row %(first)s)"),
                                first=str(seen[row.reference]),
                            ),
                        )
                    )
                else:
                    seen[row.reference] = number
                    rows.append(row)
            if len(errors) >= MAX_ERRORS:
                break
    except FileRejected as rejected:
        errors += rejected.errors
    if not rows and not errors:
        errors.append(RowError(name, None, None, NO_ROWS))
    return rows, errors
