"""Hostile and careless input: bounded time, bounded scenarios, exit 2 with a message
naming the file (never a traceback) for files Python's JSON reader cannot take."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from coalition.optimizer.cli import main
from coalition.optimizer.errors import ScenarioError
from coalition.optimizer.parse import parse_scenario

from .helpers import EXAMPLE, load

DEEP = "[" * 100_000 + "]" * 100_000
LONG_NUMBER = "1" * 5000  # Python refuses int() of more than 4300 digits


def _example() -> dict[str, Any]:
    return copy.deepcopy(load(EXAMPLE))


def _errors(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(doc)
    return raised.value.errors


@pytest.mark.parametrize("limit", ["inf", "nan", "-inf", "0", "-1", "3601", "1e999"])
def test_time_limits_that_are_not_a_bounded_number_of_seconds_exit_2(
    limit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["solve", str(EXAMPLE), f"--time-limit={limit}"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "--time-limit: must be a number of seconds greater than 0 and at most 3600" in err


def test_solve_has_a_default_time_limit_of_60_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "plan.json"
    assert main(["solve", str(EXAMPLE), "--output", str(target)]) == 0
    assert json.loads(target.read_text())["solver"]["time_limit"] == 60
    assert main(["solve", str(EXAMPLE), "--time-limit", "3600", "--output", str(target)]) == 0
    assert json.loads(target.read_text())["solver"]["time_limit"] == 3600


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (DEEP, "JSON nested too deeply to read"),
        ('{"start": "2025-01-01", "x": ' + LONG_NUMBER + "}", "a number in it has too many digits"),
    ],
    ids=["deep", "long-number"],
)
def test_unreadable_json_exits_2_naming_the_file_for_solve_and_check(
    text: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    good_plan = tmp_path / "plan.json"
    good_plan.write_text(json.dumps({"status": "feasible"}))
    for argv in (
        ["solve", str(bad)],
        ["check", str(bad), str(good_plan)],
        ["check", str(EXAMPLE), str(bad)],
    ):
        assert main(argv) == 2, argv
        out, err = capsys.readouterr()
        assert out == ""
        assert err == f"error: {bad}: {problem}\n"


def test_a_money_string_of_thousands_of_digits_is_refused_not_a_crash() -> None:
    doc = _example()
    doc["funds"][0]["amount"] = LONG_NUMBER + ".00"
    doc["offers"][0]["tiers"][0]["unit_price"] = "0" * 5000 + "12000.00"  # leading zeros: fine
    assert _errors(doc) == ["funds[0].amount: must be at most 999999999999.99"]


def test_a_scenario_from_year_1_to_9999_is_refused() -> None:
    doc = _example()
    doc["start"] = "0001-01-01"
    doc["requirements"] = doc["requirements"][:1]
    doc["requirements"][0]["needed_by"] = "9999-12-31"
    assert _errors(doc) == [
        "requirements[0].needed_by: is 3652058 days after start, more than 3660 (limit)"
    ]


def test_the_horizon_limit_is_inclusive() -> None:
    doc = _example()
    doc["start"] = "2025-01-01"
    for req in doc["requirements"]:
        req["needed_by"] = "2035-01-08"  # 3659 days
    doc["requirements"][1]["needed_by"] = "2035-01-10"  # 3661 days
    assert _errors(doc) == [
        "requirements[1].needed_by: is 3661 days after start, more than 3660 (limit)"
    ]
    doc["requirements"][1]["needed_by"] = "2035-01-09"
    parse_scenario(doc)


def _many(doc: dict[str, Any], key: str, count: int) -> dict[str, Any]:
    template = doc[key][0]
    doc[key] = [{**template, "id": f"{key}-{i}"} for i in range(count)]
    return doc


@pytest.mark.parametrize(
    ("key", "limit"), [("requirements", 1000), ("offers", 5000), ("funds", 200)]
)
def test_counts_are_bounded(key: str, limit: int) -> None:
    doc = _many(_example(), key, limit + 1)
    assert _errors(doc) == [f"{key}: must have at most {limit} items, not {limit + 1} (limit)"]
    doc[key].pop()
    parse_scenario(doc)


def test_tiers_and_fund_lists_are_bounded() -> None:
    doc = _example()
    doc["offers"][0]["tiers"] = [{"min_quantity": i + 1, "unit_price": "1.00"} for i in range(21)]
    doc["funds"][0]["categories"] = [f"c{i}" for i in range(1001)]
    assert _errors(doc) == [
        "offers[0].tiers: must have at most 20 items, not 21 (limit)",
        "funds[0].categories: must have at most 1000 items (limit)",
    ]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("requirements", 0, "quantity"), 10**9 + 1, "must be at most 1000000000 (limit)"),
        (("offers", 0, "capacity_per_30_days"), 10**9 + 1, "must be at most 1000000000 (limit)"),
        (("offers", 0, "tiers", 0, "min_quantity"), 10**9 + 1,
         "must be at most 1000000000 (limit)"),
        (("offers", 0, "lead_time_days"), 3661, "must be at most 3660 (limit)"),
        (("offers", 0, "max_quantity"), 10**9 + 1, "must be at most 1000000000 (limit)"),
        (("offers", 0, "tiers", 0, "unit_price"), "1000000000000.00",
         "must be at most 999999999999.99"),
        (("requirements", 0, "weight"), Decimal("1E-999999999"),
         "must be between 0.000001 and 1000000000 (limit)"),
        (("requirements", 0, "weight"), 10**9 + 1,
         "must be between 0.000001 and 1000000000 (limit)"),
    ],
    ids=["quantity", "capacity", "min_quantity", "lead_time", "max_quantity", "price",
         "tiny-weight", "weight"],
)  # fmt: skip
def test_magnitudes_are_bounded(path: tuple[str | int, ...], value: object, message: str) -> None:
    doc = _example()
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    assert _errors(doc) == [f"{where}: {message}"]


def test_the_funds_together_stay_within_the_money_limit() -> None:
    doc = _example()
    for fund in doc["funds"]:
        fund["amount"] = "999999999999.99"
    assert _errors(doc) == [
        "funds: the amounts add up to 2999999999999.97, more than 999999999999.99 (limit)"
    ]
