"""Money arithmetic, with no Django: currencies, minor units, conversion to EUR.

Amounts are `Decimal` in code and integer minor units in the database (exact sums on
SQLite too). Conversion to EUR is `amount / rate` with the ECB reference rate of the day,
or the latest one before it (weekends, holidays), rounded half-even to the cent.
"""

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation, localcontext
from functools import cache

import pycountry

from coalition.errors import Message, _, ngettext
from coalition.finance.errors import NoRate, RateInvalid

EUR = "EUR"
CENT = Decimal("0.01")
# ISO 4217 minor units that differ from 2 (the currencies a donor might plausibly use).
_MINOR_UNITS = {
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "CLP": 0,
    "VND": 0,
    "PYG": 0,
    "UGX": 0,
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
}
# Conversions divide with this many significant digits before rounding to the cent.
_PRECISE = Context(prec=40)

# The documented limits (README, "Limits"): one amount is at most a trillion units of its
# currency; a balance, and a donor's yearly total in EUR, at most 10^17 minor units. So a
# sum of any accepted postings fits the 64-bit integers both databases store (2^63 - 1 is
# about 9.2 x 10^18): no accepted sequence can overflow, and one member's absurd pledge
# cannot make everyone else's fail.
MAX_AMOUNT = Decimal(10) ** 12
MAX_BALANCE_MINOR = 10**17
MAX_AMOUNT_TEXT = 40  # characters of a written amount, before it is even parsed
# The refusals of an amount, as Messages (coalition.errors): shown translated on the web.
TOO_MUCH = Message(_("must be at most %(limit)s (the limit of one amount)"), limit=int(MAX_AMOUNT))
NOT_DECIMAL = Message(_("must be a decimal number written with '.' (e.g. 1234.56)"))
POSITIVE = Message(_("must be greater than zero"))


@cache
def is_currency(code: str) -> bool:
    """An ISO 4217 alphabetic code (current or historic, e.g. the ECB's CYP)."""
    if len(code) != 3 or not code.isalpha() or not code.isupper():
        return False
    return pycountry.currencies.get(alpha_3=code) is not None or code in _HISTORIC


# Pre-euro currencies the ECB history still carries; pycountry lists only current ones.
_HISTORIC = {"CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL", "HRK", "BGN"}


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency, 2)


def to_minor(amount: Decimal, currency: str) -> int:
    """The amount in minor units; ValueError when it has more decimals than allowed or is
    beyond MAX_AMOUNT."""
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise ValueError(TOO_MUCH)
    places = minor_units(currency)
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(
            Message(
                ngettext(
                    "%(currency)s allows at most %(places)s decimal place",
                    "%(currency)s allows at most %(places)s decimal places",
                    places,
                ),
                currency=currency,
                places=places,
            )
        )
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    places = minor_units(currency)
    return Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def parse_amount(text: str) -> Decimal:
    """A decimal written with '.', no thousands separators; ValueError otherwise."""
    cleaned = text.strip()
    if len(cleaned) > MAX_AMOUNT_TEXT:
        raise ValueError(TOO_MUCH)
    if "," in cleaned and all(c in "0123456789.,-+ \u00a0\u202f" for c in cleaned):
        # Never guessed: "1,234" is a thousand in one country and 1.234 in another.
        raise ValueError(
            Message(
                _(
                    "must be written with '.' as the decimal mark and no thousands separator, "
                    "not '%(value)s' (e.g. 1234.56)"
                ),
                value=cleaned,
            )
        )
    if not cleaned or any(c not in "0123456789.-+" for c in cleaned):
        raise ValueError(NOT_DECIMAL)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(NOT_DECIMAL) from None
    if not value.is_finite():
        raise ValueError(NOT_DECIMAL)
    if abs(value) > MAX_AMOUNT:
        raise ValueError(TOO_MUCH)
    return value


def to_eur(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount / rate` (units of the currency per euro), half-even to the cent."""
    with localcontext(_PRECISE):
        return (amount / rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Conversion:
    amount: Decimal
    currency: str
    on: date
    rate: Decimal
    rate_date: date
    eur: Decimal


@dataclass
class RateBook:
    """Rate series per currency, each sorted by date; look-ups by bisection."""

    _dates: dict[str, list[date]] = field(default_factory=dict)
    _rates: dict[str, list[Decimal]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, date, Decimal]]) -> "RateBook":
        series: dict[str, dict[date, Decimal]] = {}
        for currency, day, rate in rows:
            series.setdefault(currency, {})[day] = rate
        return cls.from_series(series)

    @classmethod
    def from_series(cls, series: Mapping[str, Mapping[date, Decimal]]) -> "RateBook":
        book = cls()
        for currency, by_day in series.items():
            days = sorted(by_day)
            book._dates[currency] = days
            book._rates[currency] = [by_day[d] for d in days]
        return book

    def currencies(self) -> set[str]:
        return set(self._dates)

    def rate_on(self, currency: str, on: date) -> tuple[date, Decimal]:
        """The rate published on `on`, else the latest before it; NoRate when none."""
        if currency == EUR:
            return on, Decimal(1)
        days = self._dates.get(currency)
        index = bisect_right(days, on) if days else 0
        if not days or index == 0:
            template = (
                _("no EUR reference rate for %(currency)s on or before %(date)s")
                if days
                else _(
                    "no EUR reference rate for %(currency)s on or before %(date)s (add one "
                    "with `coalition rates add %(currency)s DATE RATE`)"
                )
            )
            raise NoRate(
                Message(template, currency=currency, date=on.isoformat()), field="currency"
            )
        return days[index - 1], self._rates[currency][index - 1]

    def convert(self, amount: Decimal, currency: str, on: date) -> Conversion:
        rate_date, rate = self.rate_on(currency, on)
        eur = amount.quantize(CENT, rounding=ROUND_HALF_EVEN) if currency == EUR else None
        return Conversion(
            amount=amount,
            currency=currency,
            on=on,
            rate=rate,
            rate_date=rate_date,
            eur=eur if eur is not None else to_eur(amount, rate),
        )

    def to_eur(self, amount: Decimal, currency: str, on: date) -> Decimal:
        return self.convert(amount, currency, on).eur


def earmark_allows(
    *, category: str, origin: str, purpose_category: str, purpose_origin: str
) -> bool:
    """Money earmarked (category, origin) may pay for a purchase of that kind; blank
    earmark fields allow anything."""
    return category in ("", purpose_category) and origin in ("", purpose_origin)


def parse_rate(text: str) -> Decimal:
    """A rate typed by hand (units per euro): positive, at most 6 decimals, < 10^12."""
    try:
        value = Decimal(text.strip()) if len(text) <= 40 else Decimal("NaN")
    except InvalidOperation:
        raise RateInvalid(f"'{text[:40]}' is not a rate", field="rate") from None
    exponent = value.as_tuple().exponent
    if not value.is_finite() or value <= 0:
        raise RateInvalid("the rate must be greater than zero", field="rate")
    if isinstance(exponent, int) and exponent < -6:
        raise RateInvalid("the rate has at most 6 decimal places", field="rate")
    if value.adjusted() >= 12:
        raise RateInvalid("the rate is too large", field="rate")
    return value
