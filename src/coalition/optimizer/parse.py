"""Validate a scenario document and turn it into a `Scenario`.

Hand-written rather than jsonschema so that every message names its JSON path in the
user's terms (`requirements[3].quantity: must be at least 1`) and all are collected at once.
Rules follow docs/spec/scenario.schema.json; the limits of SCENARIO.md (`limits.py`) say
"(limit)" in their message.
"""

import math
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from itertools import pairwise
from typing import Any, TypeVar

from coalition.optimizer.errors import ScenarioError
from coalition.optimizer.limits import (
    MAX_CODES,
    MAX_COUNT,
    MAX_FUNDS,
    MAX_HORIZON_DAYS,
    MAX_LEAD_TIME_DAYS,
    MAX_MONEY_CENTS,
    MAX_OFFERS,
    MAX_REQUIREMENTS,
    MAX_TIERS,
    MAX_WEIGHT,
    MIN_WEIGHT,
)
from coalition.optimizer.money import format_cents, money_error, to_cents
from coalition.optimizer.scenario import Fund, Offer, Requirement, Scenario, Tier

Path = tuple[str | int, ...]
T = TypeVar("T")
COUNTRY = re.compile(r"^[A-Z]{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

TOP_KEYS = {"name", "currency", "start", "requirements", "offers", "funds"}
REQUIREMENT_KEYS = {"id", "category", "quantity", "weight", "needed_by", "note"}
OFFER_KEYS = {
    "id", "supplier", "origin", "category", "lead_time_days", "capacity_per_30_days", "tiers",
    "max_quantity",
}  # fmt: skip
TIER_KEYS = {"min_quantity", "unit_price"}
FUND_KEYS = {"id", "donor", "amount", "categories", "origins"}


def format_path(path: Path) -> str:
    """`offers[0].tiers[1].unit_price`; the document itself is `(root)`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(root)"


class _Checker:
    """Collects errors; each `get_*` returns a usable value or None after recording why not."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: Path, message: str) -> None:
        self.errors.append(f"{format_path(path)}: {message}")

    def obj(
        self, value: object, path: Path, allowed: set[str], required: set[str]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return None
        for key in sorted(required - value.keys()):
            self.fail((*path, key), "is required")
        for key in sorted(value.keys() - allowed, key=str):
            self.fail((*path, str(key)), "unknown key")
        return value

    def array(self, data: dict[str, Any], key: str, path: Path, limit: int) -> list[Any]:
        """The items, or none at all past `limit`: reading them would be wasted work."""
        value = data.get(key)
        if key in data and not isinstance(value, list):
            self.fail((*path, key), "must be an array")
        if isinstance(value, list) and len(value) > limit:
            self.fail((*path, key), f"must have at most {limit} items, not {len(value)} (limit)")
            return []
        return value if isinstance(value, list) else []

    def text(
        self, data: dict[str, Any], key: str, path: Path, *, max_len: int = 0, empty: bool = False
    ) -> str | None:
        if key not in data:
            return None
        value: object = data[key]
        if not isinstance(value, str):
            self.fail((*path, key), "must be a string")
            return None
        if not value and not empty:
            self.fail((*path, key), "must not be empty")
        elif max_len and len(value) > max_len:
            self.fail((*path, key), f"must be at most {max_len} characters")
        return value

    def code(self, data: dict[str, Any], key: str, path: Path, *, currency: bool = False) -> str:
        value = data.get(key)
        pattern, what = (
            (CURRENCY, "a 3-letter upper-case currency code (ISO 4217), e.g. EUR")
            if currency
            else (COUNTRY, "a 2-letter upper-case country code (ISO 3166-1 alpha-2), e.g. UA")
        )
        if key in data and not (isinstance(value, str) and pattern.match(value)):
            self.fail((*path, key), f"must be {what}")
        return value if isinstance(value, str) else ""

    def integer(
        self, data: dict[str, Any], key: str, path: Path, minimum: int, maximum: int
    ) -> int:
        if key not in data:
            return minimum
        value = data[key]
        # JSON Schema counts 3.0 as an integer; bool is an int in Python but not in JSON.
        finite = isinstance(value, float | Decimal) and math.isfinite(float(value))
        if finite and value == int(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail((*path, key), "must be an integer")
            return minimum
        if value < minimum:
            self.fail((*path, key), f"must be at least {minimum}")
        elif value > maximum:
            self.fail((*path, key), f"must be at most {maximum} (limit)")
        return value

    def weight(self, data: dict[str, Any], key: str, path: Path) -> Decimal:
        if key not in data:
            return Decimal(1)
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.fail((*path, key), "must be a number")
            return Decimal(1)
        try:
            # str() of a float is its shortest round-trip form: 0.1 stays 0.1, not 0.1000…
            number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            self.fail((*path, key), "must be a finite number")
        elif number <= 0:
            self.fail((*path, key), "must be greater than 0")
        elif not MIN_WEIGHT <= number <= MAX_WEIGHT:
            self.fail((*path, key), f"must be between {MIN_WEIGHT} and {MAX_WEIGHT} (limit)")
        else:
            return number
        return Decimal(1)

    def money(self, data: dict[str, Any], key: str, path: Path) -> int:
        if key not in data:
            return 0
        error = money_error(data[key])
        if error:
            self.fail((*path, key), error)
            return 0
        return to_cents(data[key])

    def day(self, data: dict[str, Any], key: str, path: Path) -> date | None:
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, str) or not ISO_DATE.match(value):
            self.fail((*path, key), "must be an ISO date (YYYY-MM-DD)")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            self.fail((*path, key), f"is not a valid date ({exc})")
            return None

    def codes(
        self, data: dict[str, Any], key: str, path: Path, country: bool
    ) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail((*path, key), "must be an array or null")
            return None
        if len(value) > MAX_CODES:
            self.fail((*path, key), f"must have at most {MAX_CODES} items (limit)")
            return None
        for i, item in enumerate(value):
            if not isinstance(item, str) or (country and not COUNTRY.match(item)):
                what = "a 2-letter upper-case country code" if country else "a string"
                self.fail((*path, key, i), f"must be {what}")
        return tuple(v for v in value if isinstance(v, str))

    def unique_ids(self, items: list[Any], path: Path) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            id_ = item.get("id") if isinstance(item, dict) else None
            if not isinstance(id_, str):
                continue
            if id_ in seen:
                first = format_path((*path, seen[id_]))
                self.fail((*path, i, "id"), f'duplicate id "{id_}" (also {first})')
            else:
                seen[id_] = i


def parse_scenario(data: object) -> Scenario:
    """Validate `data` (a decoded JSON document) and build the scenario; raise ScenarioError
    listing every problem with its JSON path."""
    check = _Checker()
    top = check.obj(data, (), TOP_KEYS, {"start", "requirements", "offers", "funds"})
    if top is None:
        raise ScenarioError(check.errors)
    name = check.text(top, "name", (), empty=True)
    currency = check.code(top, "currency", (), currency=True) if "currency" in top else "EUR"
    start = check.day(top, "start", ())
    due = partial(_requirement, start=start)
    requirements = _each(check, top, "requirements", MAX_REQUIREMENTS, due)
    offers = _each(check, top, "offers", MAX_OFFERS, _offer)
    funds = _each(check, top, "funds", MAX_FUNDS, _fund)
    total = sum(fund.amount_cents for fund in funds)
    if total > MAX_MONEY_CENTS:
        check.fail(
            ("funds",),
            f"the amounts add up to {format_cents(total)}, more than "
            f"{format_cents(MAX_MONEY_CENTS)} (limit)",
        )
    if check.errors or start is None:
        raise ScenarioError(check.errors)
    return Scenario(
        start=start,
        requirements=tuple(requirements),
        offers=tuple(offers),
        funds=tuple(funds),
        currency=currency,
        name=name,
    )


def _each(
    check: _Checker,
    top: dict[str, Any],
    key: str,
    limit: int,
    build: Callable[[_Checker, object, Path], T | None],
) -> list[T]:
    items = check.array(top, key, (), limit)
    check.unique_ids(items, (key,))
    built = [build(check, item, (key, i)) for i, item in enumerate(items)]
    return [item for item in built if item is not None]


def _requirement(
    check: _Checker, value: object, path: Path, start: date | None
) -> Requirement | None:
    data = check.obj(value, path, REQUIREMENT_KEYS, REQUIREMENT_KEYS - {"note"})
    if data is None:
        return None
    needed_by = check.day(data, "needed_by", path)
    days = (needed_by - start).days if needed_by and start else 0
    if days > MAX_HORIZON_DAYS:
        check.fail(
            (*path, "needed_by"),
            f"is {days} days after start, more than {MAX_HORIZON_DAYS} (limit)",
        )
    return Requirement(
        id=check.text(data, "id", path, max_len=100) or "",
        category=check.text(data, "category", path) or "",
        quantity=check.integer(data, "quantity", path, 1, MAX_COUNT),
        weight=check.weight(data, "weight", path),
        needed_by=needed_by or date.min,
        note=check.text(data, "note", path, empty=True),
    )


def _offer(check: _Checker, value: object, path: Path) -> Offer | None:
    data = check.obj(value, path, OFFER_KEYS, OFFER_KEYS - {"max_quantity"})
    if data is None:
        return None
    capped = "max_quantity" in data
    return Offer(
        id=check.text(data, "id", path, max_len=100) or "",
        supplier=check.text(data, "supplier", path) or "",
        origin=check.code(data, "origin", path),
        category=check.text(data, "category", path) or "",
        lead_time_days=check.integer(data, "lead_time_days", path, 0, MAX_LEAD_TIME_DAYS),
        capacity_per_30_days=check.integer(data, "capacity_per_30_days", path, 0, MAX_COUNT),
        tiers=_tiers(check, data, path),
        max_quantity=check.integer(data, "max_quantity", path, 1, MAX_COUNT) if capped else None,
    )


def _tiers(check: _Checker, data: dict[str, Any], path: Path) -> tuple[Tier, ...]:
    items = check.array(data, "tiers", path, MAX_TIERS)
    if "tiers" in data and isinstance(data["tiers"], list) and not data["tiers"]:
        check.fail((*path, "tiers"), "must have at least one tier")
    errors_before = len(check.errors)
    tiers = []
    for i, item in enumerate(items):
        tier_path = (*path, "tiers", i)
        tier = check.obj(item, tier_path, TIER_KEYS, TIER_KEYS)
        if tier is not None:
            minimum = check.integer(tier, "min_quantity", tier_path, 1, MAX_COUNT)
            tiers.append(Tier(minimum, check.money(tier, "unit_price", tier_path)))
    # Only judge the order of tiers that are themselves valid, or one typo gives two errors.
    valid = len(check.errors) == errors_before
    if valid and any(a.min_quantity >= b.min_quantity for a, b in pairwise(tiers)):
        check.fail((*path, "tiers"), "min_quantity must be strictly increasing")
    return tuple(tiers)


def _fund(check: _Checker, value: object, path: Path) -> Fund | None:
    data = check.obj(value, path, FUND_KEYS, {"id", "donor", "amount"})
    if data is None:
        return None
    return Fund(
        id=check.text(data, "id", path, max_len=100) or "",
        donor=check.code(data, "donor", path),
        amount_cents=check.money(data, "amount", path),
        categories=check.codes(data, "categories", path, country=False),
        origins=check.codes(data, "origins", path, country=True),
    )
