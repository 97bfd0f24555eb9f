"""The plan (docs/spec/plan.schema.json) as frozen dataclasses, and its JSON form.

`Plan.from_json` validates the shape (every problem with its JSON path, in one
`PlanError`) and builds the plan; `Plan.to_json` gives back the document: the same keys
in the same order, money as exact decimal strings, numbers as integers when integral.
Money is kept as the `Decimal` of its string, so "1250.5" stays "1250.5" and "0.00" stays
"0.00". Only the schema's properties are modelled: other keys a file may carry are dropped.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Literal, cast

from coalition.optimizer.errors import PlanError
from coalition.optimizer.plan_shape import plan_shape_errors

Status = Literal["optimal", "feasible"]
SOLVER_KEYS = ("name", "version", "seconds", "time_limit", "cost_gap")


def json_number(value: Decimal) -> int | float:
    """An integral value as a JSON integer (4350, not 4350.0), else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def money_text(amount: Decimal) -> str:
    """The money string of `amount`, never in exponent notation."""
    return f"{amount:f}"


def _decimal(value: object) -> Decimal:
    """A JSON number (int, float, or Decimal when read with parse_float=Decimal) exactly."""
    if isinstance(value, float):
        return Decimal(str(value))  # the shortest round-trip form: 0.1, not 0.1000000000000000055
    return Decimal(cast(int | Decimal, value))


def _float(value: object) -> float | None:
    return None if value is None else float(cast(float, value))


class _Row:
    """A row of one of the plan's lists, as JSON: its fields in the order declared, money
    as strings, a None field left out."""

    def to_json(self) -> dict[str, Any]:
        values = ((f.name, getattr(self, f.name)) for f in fields(cast(Any, self)))
        return {
            k: money_text(v) if isinstance(v, Decimal) else v for k, v in values if v is not None
        }


@dataclass(frozen=True, kw_only=True)
class Order(_Row):
    """One order of an offer; `fund` only in `Separate.orders` (each fund buys alone)."""

    offer: str
    fund: str | None = None
    quantity: int
    unit_price: Decimal
    cost: Decimal

    @classmethod
    def from_json(cls, obj: Mapping[str, Any], *, separate: bool = False) -> "Order":
        return cls(
            offer=obj["offer"],
            fund=obj["fund"] if separate else None,
            quantity=obj["quantity"],
            unit_price=Decimal(obj["unit_price"]),
            cost=Decimal(obj["cost"]),
        )


@dataclass(frozen=True)
class Assignment(_Row):
    """`quantity` units of `offer` go to `requirement`."""

    offer: str
    requirement: str
    quantity: int


@dataclass(frozen=True)
class Payment(_Row):
    """`fund` pays `amount` towards the order of `offer`."""

    fund: str
    offer: str
    amount: Decimal


@dataclass(frozen=True)
class Coverage(_Row):
    """Units assigned to `requirement` (`covered`) out of the `quantity` it needs."""

    requirement: str
    covered: int
    quantity: int

    @property
    def missing(self) -> int:
        return max(0, self.quantity - self.covered)


@dataclass(frozen=True)
class SolverInfo:
    """What made the plan. A field the document leaves out is None and stays out of
    `to_json`; `nulls` names the fields the document gives as JSON null (a solver run
    writes `time_limit: null` for "no limit" and `cost_gap: null` for "not proven")."""

    name: str | None = None
    version: str | None = None
    seconds: float | None = None
    time_limit: float | None = None
    cost_gap: float | None = None
    nulls: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Only fields without a value can be null: equal infos compare equal.
        nulls = frozenset(k for k in self.nulls if k in SOLVER_KEYS and getattr(self, k) is None)
        object.__setattr__(self, "nulls", nulls)

    @classmethod
    def run(
        cls,
        name: str,
        version: str,
        seconds: float,
        time_limit: float | None,
        cost_gap: float | None,
    ) -> "SolverInfo":
        """A solver run: every field written, null where there is nothing to say."""
        return cls(name, version, seconds, time_limit, cost_gap, nulls=frozenset(SOLVER_KEYS))

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "SolverInfo":
        return cls(
            name=obj.get("name"),
            version=obj.get("version"),
            seconds=_float(obj.get("seconds")),
            time_limit=_float(obj.get("time_limit")),
            cost_gap=_float(obj.get("cost_gap")),
            nulls=frozenset(k for k in SOLVER_KEYS if k in obj and obj[k] is None),
        )

    def to_json(self) -> dict[str, Any]:
        values = {key: getattr(self, key) for key in SOLVER_KEYS}
        return {k: v for k, v in values.items() if v is not None or k in self.nulls}


@dataclass(frozen=True)
class Separate:
    """`--compare-separate`: what the funds reach each on its own (SCENARIO.md)."""

    value: Decimal
    cost: Decimal
    orders: tuple[Order, ...]
    status: Status | None = None
    bound: Decimal | None = None
    gap: float | None = None
    # Units each requirement gets on time when the funds buy alone (optional in documents
    # written before it existed): what pooling adds, said in units.
    coverage: tuple[Coverage, ...] | None = None

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "Separate":
        coverage = obj.get("coverage")
        return cls(
            value=_decimal(obj["value"]),
            cost=Decimal(obj["cost"]),
            orders=tuple(Order.from_json(o, separate=True) for o in obj["orders"]),
            status=obj.get("status"),
            bound=_decimal(obj["bound"]) if "bound" in obj else None,
            gap=_float(obj.get("gap")),
            coverage=None
            if coverage is None
            else tuple(Coverage(c["requirement"], c["covered"], c["quantity"]) for c in coverage),
        )

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "value": json_number(self.value),
            "cost": money_text(self.cost),
            "orders": [order.to_json() for order in self.orders],
        }
        if self.status is not None:
            doc["status"] = self.status
        if self.bound is not None:
            doc["bound"] = json_number(self.bound)
        if self.gap is not None:
            doc["gap"] = self.gap
        if self.coverage is not None:
            doc["coverage"] = [row.to_json() for row in self.coverage]
        return doc


@dataclass(frozen=True)
class Marginal:
    """`--marginal`: what raising one fund's amount by `raise_by` buys on top of the plan,
    from a re-solve warm-started from it (docs/spec/plan.schema.json, `marginal`).
    `extra_units` maps each requirement whose coverage changes to the change, which may be
    negative (units can move to a heavier requirement); `extra_cost` may be negative too
    (more money can make a cheaper plan of the same value payable). `status` and `gap`
    are the re-solve's: "optimal" proves `extra_value` exact when the plan itself is."""

    fund: str
    raise_by: Decimal
    extra_value: Decimal
    extra_units: dict[str, int]
    extra_cost: Decimal
    status: Status
    gap: float

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "Marginal":
        return cls(
            fund=obj["fund"],
            raise_by=Decimal(obj["raise"]),
            extra_value=_decimal(obj["extra_value"]),
            extra_units=dict(obj["extra_units"]),
            extra_cost=Decimal(obj["extra_cost"]),
            status=obj["status"],
            gap=float(obj["gap"]),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "fund": self.fund,
            "raise": money_text(self.raise_by),
            "extra_value": json_number(self.extra_value),
            "extra_units": dict(self.extra_units),
            "extra_cost": money_text(self.extra_cost),
            "status": self.status,
            "gap": self.gap,
        }


@dataclass(frozen=True)
class Plan:
    """What to buy from whom, for which need, paid from which fund (SCENARIO.md)."""

    status: Status
    value: Decimal
    cost: Decimal
    currency: str
    orders: tuple[Order, ...]
    assignments: tuple[Assignment, ...]
    payments: tuple[Payment, ...]
    coverage: tuple[Coverage, ...]
    scenario: str | None = None
    bound: Decimal | None = None
    gap: float | None = None
    solver: SolverInfo | None = None
    separate: Separate | None = None
    marginal: tuple[Marginal, ...] | None = None

    @classmethod
    def from_json(cls, obj: object) -> "Plan":
        """The plan of a decoded JSON document; `PlanError` names every shape problem."""
        errors = plan_shape_errors(obj)
        if errors:
            raise PlanError(errors)
        doc = cast(dict[str, Any], obj)
        return cls(
            status=doc["status"],
            value=_decimal(doc["value"]),
            cost=Decimal(doc["cost"]),
            currency=doc["currency"],
            orders=tuple(Order.from_json(o) for o in doc["orders"]),
            assignments=tuple(
                Assignment(a["offer"], a["requirement"], a["quantity"]) for a in doc["assignments"]
            ),
            payments=tuple(
                Payment(p["fund"], p["offer"], Decimal(p["amount"])) for p in doc["payments"]
            ),
            coverage=tuple(
                Coverage(c["requirement"], c["covered"], c["quantity"]) for c in doc["coverage"]
            ),
            scenario=doc.get("scenario"),
            bound=_decimal(doc["bound"]) if "bound" in doc else None,
            gap=_float(doc.get("gap")),
            solver=SolverInfo.from_json(doc["solver"]) if "solver" in doc else None,
            separate=Separate.from_json(doc["separate"]) if "separate" in doc else None,
            marginal=(
                tuple(Marginal.from_json(m) for m in doc["marginal"]) if "marginal" in doc else None
            ),
        )

    def to_json(self) -> dict[str, Any]:
        """The document: what, how good, how much, then the details."""
        doc: dict[str, Any] = {}
        if self.scenario is not None:
            doc["scenario"] = self.scenario
        doc["status"] = self.status
        doc["value"] = json_number(self.value)
        if self.bound is not None:
            doc["bound"] = json_number(self.bound)
        if self.gap is not None:
            doc["gap"] = self.gap
        doc["cost"] = money_text(self.cost)
        doc["currency"] = self.currency
        if self.solver is not None:
            doc["solver"] = self.solver.to_json()
        doc["orders"] = [order.to_json() for order in self.orders]
        doc["assignments"] = [row.to_json() for row in self.assignments]
        doc["payments"] = [row.to_json() for row in self.payments]
        doc["coverage"] = [row.to_json() for row in self.coverage]
        if self.separate is not None:
            doc["separate"] = self.separate.to_json()
        if self.marginal is not None:
            doc["marginal"] = [row.to_json() for row in self.marginal]
        return doc

    def paid_by_fund(self) -> dict[str, Decimal]:
        """Total paid by each fund that pays anything."""
        paid: dict[str, Decimal] = {}
        for payment in self.payments:
            paid[payment.fund] = paid.get(payment.fund, Decimal(0)) + payment.amount
        return paid
