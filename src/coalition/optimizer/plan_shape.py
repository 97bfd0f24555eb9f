"""The shape of a plan document (docs/spec/plan.schema.json), checked by hand so that every
problem names its JSON path. Only shape: the rules are `check.py`'s business."""

import math
from decimal import Decimal
from typing import Any

from coalition.optimizer.money import MONEY_PATTERN
from coalition.optimizer.parse import Path, format_path

ORDER = {"offer": "id", "quantity": "count", "unit_price": "money", "cost": "money"}
ASSIGNMENT = {"offer": "id", "requirement": "id", "quantity": "count"}
PAYMENT = {"fund": "id", "offer": "id", "amount": "money"}
COVERAGE = {"requirement": "id", "covered": "count0", "quantity": "count"}
MARGINAL = {
    "fund": "id", "raise": "money", "extra_value": "number", "extra_units": "units",
    "extra_cost": "signed money", "status": "status", "gap": "number",
}  # fmt: skip
SOLVER = {
    "name": "string", "version": "string", "seconds": "number", "time_limit": "number?",
    "cost_gap": "number?",
}  # fmt: skip


def plan_shape_errors(plan: object) -> list[str]:
    """Every way `plan` differs from the plan schema, as `path: message`; [] if none."""
    errors: list[str] = []
    if not isinstance(plan, dict):
        return ["(root): must be an object"]
    fields = {"status": "status", "value": "number", "cost": "money", "currency": "string"}
    for key, kind in fields.items():
        _field(plan, key, kind, (), errors, required=True)
    _bound_and_gap(plan, (), errors)
    if "scenario" in plan:
        _field(plan, "scenario", "string", (), errors, required=True)
    if "solver" in plan:
        solver = plan["solver"]
        if not isinstance(solver, dict):
            errors.append("solver: must be an object")
        else:
            for key, kind in SOLVER.items():
                _field(solver, key, kind, ("solver",), errors, required=False)
    for key, item in (
        ("orders", ORDER),
        ("assignments", ASSIGNMENT),
        ("payments", PAYMENT),
        ("coverage", COVERAGE),
    ):
        _items(plan, key, item, (), errors, required=True)
    if "separate" in plan:
        separate = plan["separate"]
        if not isinstance(separate, dict):
            errors.append("separate: must be an object")
        else:
            path: Path = ("separate",)
            _field(separate, "value", "number", path, errors, required=True)
            _field(separate, "cost", "money", path, errors, required=True)
            _items(separate, "orders", {**ORDER, "fund": "id"}, path, errors, required=True)
            _field(separate, "status", "status", path, errors, required=False)
            _items(separate, "coverage", COVERAGE, path, errors, required=False)
            _bound_and_gap(separate, path, errors)
    if "marginal" in plan:
        _items(plan, "marginal", MARGINAL, (), errors, required=True)
        _marginal_signs(plan["marginal"], errors)
    return errors


def _marginal_signs(rows: object, errors: list[str]) -> None:
    """What the types alone do not say: a raise buys no less value, at no negative gap."""
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        if isinstance(row, dict):
            for key in ("extra_value", "gap"):
                _not_negative(row, key, ("marginal", i), errors)


def _not_negative(data: dict[str, Any], key: str, path: Path, errors: list[str]) -> None:
    number = data.get(key)
    if isinstance(number, int | float | Decimal) and not isinstance(number, bool) and number < 0:
        errors.append(f"{format_path((*path, key))}: must be at least 0")


def _bound_and_gap(data: dict[str, Any], path: Path, errors: list[str]) -> None:
    for key in ("bound", "gap"):
        _field(data, key, "number", path, errors, required=False)
    _not_negative(data, "gap", path, errors)


def _items(
    data: dict[str, Any],
    key: str,
    fields: dict[str, str],
    path: Path,
    errors: list[str],
    required: bool,
) -> None:
    if key not in data:
        if required:
            errors.append(f"{format_path((*path, key))}: is required")
        return
    items = data[key]
    if not isinstance(items, list):
        errors.append(f"{format_path((*path, key))}: must be an array")
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append(f"{format_path((*path, key, i))}: must be an object")
            continue
        for name, kind in fields.items():
            _field(item, name, kind, (*path, key, i), errors, required=True)


def _field(
    data: dict[str, Any], key: str, kind: str, path: Path, errors: list[str], required: bool
) -> None:
    where = format_path((*path, key))
    if key not in data:
        if required:
            errors.append(f"{where}: is required")
        return
    problem = _kind_error(data[key], kind)
    if problem:
        errors.append(f"{where}: {problem}")


def _kind_error(value: object, kind: str) -> str | None:
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if kind == "id" or kind == "string":
        return None if isinstance(value, str) else "must be a string"
    if kind == "money":
        ok = isinstance(value, str) and MONEY_PATTERN.match(value)
        return None if ok else 'must be a money string such as "1250.00"'
    if kind == "signed money":
        signed = isinstance(value, str) and MONEY_PATTERN.match(value.removeprefix("-"))
        return None if signed else 'must be a money string such as "1250.00" or "-1250.00"'
    if kind == "units":
        integers = isinstance(value, dict) and all(
            isinstance(n, int) and not isinstance(n, bool) for n in value.values()
        )
        return None if integers else "must be an object of requirement ids to integers"
    if kind == "count":
        return None if is_int and value >= 1 else "must be an integer of at least 1"  # type: ignore[operator]
    if kind == "count0":
        return None if is_int and value >= 0 else "must be an integer of at least 0"  # type: ignore[operator]
    if kind == "number?" and value is None:
        return None
    if kind == "status":
        return None if value in ("optimal", "feasible") else 'must be "optimal" or "feasible"'
    number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if not number or not math.isfinite(float(value)):  # type: ignore[arg-type]
        return "must be a number or null" if kind == "number?" else "must be a number"
    return None
