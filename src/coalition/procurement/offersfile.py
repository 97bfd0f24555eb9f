"""Reading an offers file (docs/CONTRACT.md), CSV or XLSX, with no Django: one row per
price tier; the rows of one offer repeat its fields and must agree; each offer has a tier
from 1 unit. What needs the database (the competition, its deadline and category) is
checked by the import service."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from coalition.errors import FileRejected, Message, RowError, _, message_of
from coalition.finance.money import POSITIVE, is_currency, parse_amount, to_minor
from coalition.finance.pledgefile import is_country, not_country, not_currency
from coalition.records import IS_REQUIRED, NO_ROWS, iso_date, read_records, text, whole_number
from coalition.tabular import Limits, Source
from coalition.text import text_problem

COLUMNS = (
    "offer",
    "supplier",
    "supplier_country",
    "origin",
    "category",
    "min_quantity",
    "unit_price",
    "currency",
    "capacity_per_30_days",
    "lead_time_days",
    "valid_until",
)
REQUIRED = COLUMNS[:10]
OFFER_FIELDS = (
    "supplier",
    "supplier_country",
    "origin",
    "category",
    "currency",
    "capacity_per_30_days",
    "lead_time_days",
    "valid_until",
)
MAX_TEXT = 200
MAX_ERRORS = 500


@dataclass
class OfferDraft:
    reference: str
    supplier: str
    supplier_country: str
    origin: str
    category: str
    currency: str
    capacity_per_30_days: int
    lead_time_days: int
    valid_until: date | None
    tiers: dict[int, Decimal] = field(default_factory=dict)  # min quantity -> unit price
    row: int = 0  # the offer's first row


def _tier_row(
    name: str, number: int, raw: dict[str, object]
) -> tuple[dict[str, object], list[RowError]]:
    """One row's values, typed, or its problems."""
    errors: list[RowError] = []
    cells = {c: text(raw.get(c)) for c in COLUMNS}
    values: dict[str, object] = {}

    def fail(column: str, message: Message) -> None:
        errors.append(RowError(name, number, column, message))

    for column in COLUMNS:
        if problem := text_problem(cells[column], max_length=MAX_TEXT):
            fail(column, problem)
    for column in REQUIRED:
        if not cells[column]:
            fail(column, IS_REQUIRED)
    if errors:
        return values, errors
    values["offer"], values["supplier"] = cells["offer"], cells["supplier"]
    values["category"] = cells["category"].lower()
    for column in ("supplier_country", "origin"):
        code = cells[column].upper()
        if not is_country(code):
            fail(column, not_country(cells[column]))
        values[column] = code
    currency = cells["currency"].upper()
    if not is_currency(currency):
        fail("currency", not_currency(cells["currency"]))
    values["currency"] = currency
    for column, minimum, maximum in (
        ("min_quantity", 1, 10**9),
        ("capacity_per_30_days", 1, 10**9),
        ("lead_time_days", 0, 3660),
    ):
        try:
            values[column] = whole_number(raw.get(column), minimum=minimum, maximum=maximum)
        except ValueError as error:
            fail(column, message_of(error))
    try:
        price = parse_amount(cells["unit_price"])
        if price <= 0:
            raise ValueError(POSITIVE)
        if is_currency(currency):
            to_minor(price, currency)
        values["unit_price"] = price
    except ValueError as error:
        fail("unit_price", message_of(error))
    try:
        values["valid_until"] = iso_date(raw.get("valid_until")) if cells["valid_until"] else None
    except ValueError as error:
        fail("valid_until", message_of(error))
    return values, errors


def _merge(
    drafts: dict[str, OfferDraft], values: dict[str, object], name: str, number: int
) -> list[RowError]:
    """Add a tier row to its offer; the offer's fields must agree with its first row."""
    reference = str(values["offer"])
    draft = drafts.get(reference)
    if draft is None:
        drafts[reference] = OfferDraft(
            reference=reference,
            **{f: values[f] for f in OFFER_FIELDS},  # type: ignore[arg-type]
            row=number,
        )
        draft = drafts[reference]
    else:
        differing = [f for f in OFFER_FIELDS if getattr(draft, f) != values[f]]
        if differing:
            return [
                RowError(
                    name,
                    number,
                    f,
                    Message(
                        _("differs from row %(row)s of offer %(offer)s"),
                        row=str(draft.row),
                        offer=reference,
                    ),
                )
                for f in differing
            ]
    minimum = int(values["min_quantity"])  # type: ignore[call-overload]
    if minimum in draft.tiers:
        return [
            RowError(
                name,
                number,
                "min_quantity",
                Message(
                    _("offer %(offer)s has a tier from %(minimum)s already"),
                    offer=reference,
                    minimum=minimum,
                ),
            )
        ]
    draft.tiers[minimum] = values["unit_price"]  # type: ignore[assignment]
    return []


def parse(
    data: Source, name: str, limits: Limits | None = None
) -> tuple[list[OfferDraft], list[RowError]]:
    try:
        return from_records(
            read_records(data, name, columns=COLUMNS, required=REQUIRED, limits=limits), name
        )
    except FileRejected as rejected:
        return [], rejected.errors


def from_records(
    records: Iterable[tuple[int, dict[str, object] | RowError]], name: str
) -> tuple[list[OfferDraft], list[RowError]]:
    """Offers from numbered rows (a file's, or a form's tiers read like one)."""
    drafts: dict[str, OfferDraft] = {}
    errors: list[RowError] = []
    try:
        for number, record in records:
            if isinstance(record, RowError):
                errors.append(record)
                continue
            values, problems = _tier_row(name, number, record)
            errors += problems or _merge(drafts, values, name, number)
            if len(errors) >= MAX_ERRORS:
                break
    except FileRejected as rejected:
        errors += rejected.errors
    for draft in drafts.values():
        if 1 not in draft.tiers:
            errors.append(
                RowError(
                    name,
                    draft.row,
                    "min_quantity",
                    Message(_("offer %(offer)s needs a tier from 1 unit"), offer=draft.reference),
                )
            )
    if not drafts and not errors:
        errors.append(RowError(name, None, None, NO_ROWS))
    return list(drafts.values()), sorted(errors, key=lambda e: e.row or 0)
