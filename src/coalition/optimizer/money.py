"""Exact money: decimal strings in, integer cents inside, decimal strings out. Never float."""

import re
from decimal import Decimal

from coalition.optimizer.limits import MAX_MONEY_CENTS, MAX_MONEY_DIGITS

MONEY_PATTERN = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")


def money_error(value: object) -> str | None:
    """Why `value` is not a money string of the schema, or None when it is one."""
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float | Decimal):
            # No str() of a huge int: Python refuses those of more than 4300 digits.
            short = not isinstance(value, int) or abs(value) < 10**20
            shown = str(value) if short and len(str(value)) <= 20 else "1250.00"
            return f'must be a decimal string such as "{shown}", not a number'
        return 'must be a decimal string such as "1250.00"'
    if MONEY_PATTERN.match(value):
        # Count digits before converting: int() of thousands of digits is slow or refused.
        if len(value.partition(".")[0].lstrip("0")) > MAX_MONEY_DIGITS:
            return f"must be at most {format_cents(MAX_MONEY_CENTS)}"
        return None
    if re.match(r"^-[0-9]+(\.[0-9]+)?$", value):
        return "must not be negative"
    if re.match(r"^[0-9]+\.[0-9]{3,}$", value):
        return "must have at most 2 decimals"
    return 'must be a decimal string such as "1250.00"'


def to_cents(value: str) -> int:
    """Integer cents of a string that `money_error` accepted."""
    whole, _, frac = value.partition(".")
    return int(whole.lstrip("0") or "0") * 100 + int((frac + "00")[:2])


def format_cents(cents: int) -> str:
    """'1234.50' for 123450; always two decimals, as the plan schema shows money."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)
