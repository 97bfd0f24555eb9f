"""The plan's `marginal` section: schema, round trip, the checker ignoring it, and
`coalition plan solve --marginal [--marginal-raise AMOUNT]`."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from coalition.optimizer import spec
from coalition.optimizer.check import check
from coalition.optimizer.cli import main
from coalition.optimizer.errors import PlanError
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Marginal, Plan

from .helpers import EXAMPLE, load

PLAN_SCHEMA = json.loads(spec.path("plan.schema.json").read_text())
ROW = {
    "fund": "F-common",
    "raise": "1000000.00",
    "extra_value": 950,
    "extra_units": {"R1": 95},
    "extra_cost": "997500.00",
    "status": "optimal",
    "gap": 0.0,
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The worked example's plan as `plan solve --marginal` writes it."""
    target = tmp_path_factory.mktemp("plan") / "marginal.plan.json"
    assert main(["solve", str(EXAMPLE), "--marginal", "--output", str(target)]) == 0
    return target.read_text()


def test_the_cli_writes_a_schema_valid_plan_that_the_checker_accepts(
    written: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(written)
    jsonschema.validate(doc, PLAN_SCHEMA)
    assert list(doc)[-1] == "marginal"
    assert doc["marginal"] == [
        {**ROW, "fund": fund} for fund in ("F-common", "F-lv-national", "F-no-industry")
    ]
    target = tmp_path / "plan.json"
    target.write_text(written)
    assert main(["check", str(EXAMPLE), str(target)]) == 0
    assert capsys.readouterr().out.startswith("feasible: value 4350")


def test_the_plan_round_trips_to_the_byte(written: str) -> None:
    doc = json.loads(written, parse_float=Decimal)
    again = json.dumps(Plan.from_json(doc).to_json(), indent=2, ensure_ascii=False) + "\n"
    assert again == written
    plan = Plan.from_json(json.loads(written))
    assert plan.marginal is not None and len(plan.marginal) == 3
    assert plan.marginal[0] == Marginal(
        "F-common", Decimal("1000000.00"), Decimal(950), {"R1": 95}, Decimal("997500.00"),
        "optimal", 0.0,
    )  # fmt: skip


def test_the_summary_lists_each_fund(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(EXAMPLE), "--marginal-raise", "10000"]) == 0
    out, err = capsys.readouterr()
    rows = json.loads(out)["marginal"]
    assert {(r["raise"], r["extra_value"], r["extra_cost"]) for r in rows} == {
        ("10000.00", 10, "10500.00")
    }
    assert "  F-lv-national +10000.00 EUR: value +10, cost +10500.00 (optimal)" in err


def test_with_separate_buying_too(capsys: pytest.CaptureFixture[str]) -> None:
    """The three parts share the time limit; each section is there and the plan checks."""
    argv = ["solve", str(EXAMPLE), "--marginal", "--compare-separate", "--time-limit", "300"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, PLAN_SCHEMA)
    assert list(doc)[-2:] == ["separate", "marginal"]
    assert (doc["value"], doc["separate"]["value"]) == (4350, 4170)
    assert [row["extra_value"] for row in doc["marginal"]] == [950, 950, 950]
    assert check(parse_scenario(load(EXAMPLE)), Plan.from_json(doc)) == []


def test_without_the_flag_there_is_no_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(EXAMPLE)]) == 0
    assert "marginal" not in json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", 'must not be negative, not "-5"'),
        ("lots", 'must be an amount of money such as 1000000 or 250000.50, not "lots"'),
        ("1e6", 'must be an amount of money such as 1000000 or 250000.50, not "1e6"'),
        ("", 'must be an amount of money such as 1000000 or 250000.50, not ""'),
        ("0.00", 'must be greater than 0, not "0.00"'),
        ("10.005", 'must have at most 2 decimals, not "10.005"'),
        ("1000000000000", 'must be at most 999999999999.99, not "1000000000000"'),
    ],
)
def test_a_bad_raise_exits_2_and_writes_nothing(
    amount: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "plan.json"
    argv = ["solve", str(EXAMPLE), f"--marginal-raise={amount}", "--output", str(target)]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and not target.exists()
    assert err == f"error: --marginal-raise: {message}\n"


def test_the_help_names_the_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--marginal also say, for each fund, what raising its amount would buy" in text
    assert "--marginal-raise AMOUNT the raise of --marginal" in text
    assert "(default 1000000; implies --marginal)" in text


def _plan_with(rows: list[dict[str, Any]]) -> dict[str, Any]:
    doc = {
        "status": "optimal",
        "value": 0,
        "cost": "0.00",
        "currency": "EUR",
        "orders": [],
        "assignments": [],
        "payments": [],
        "coverage": [],
        "marginal": rows,
    }
    return copy.deepcopy(doc)


def test_negative_units_and_costs_are_valid() -> None:
    """A raise may move units to a heavier requirement and make a cheaper plan payable."""
    row = {**ROW, "extra_units": {"R1": 2, "R2": -3}, "extra_cost": "-120.50", "gap": 0.001}
    doc = _plan_with([row])
    jsonschema.validate(doc, PLAN_SCHEMA)
    assert Plan.from_json(doc).to_json() == doc


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"extra_value": -1}, "marginal[0].extra_value: must be at least 0"),
        ({"gap": -0.5}, "marginal[0].gap: must be at least 0"),
        ({"extra_units": {"R1": 1.5}}, "marginal[0].extra_units: must be an object of"),
        ({"extra_units": [1]}, "marginal[0].extra_units: must be an object of"),
        ({"extra_cost": "--1.00"}, "marginal[0].extra_cost: must be a money string such as"),
        ({"raise": "-1.00"}, 'marginal[0].raise: must be a money string such as "1250.00"'),
        ({"status": "good"}, 'marginal[0].status: must be "optimal" or "feasible"'),
        ({"fund": None}, "marginal[0].fund: must be a string"),
    ],
)
def test_a_bad_row_is_refused_by_both_schema_checks(change: dict[str, Any], error: str) -> None:
    doc = _plan_with([{**ROW, **change}])
    with pytest.raises(PlanError) as raised:
        Plan.from_json(doc)
    assert len(raised.value.errors) == 1 and raised.value.errors[0].startswith(error)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, PLAN_SCHEMA)


@pytest.mark.parametrize("key", list(ROW))
def test_every_field_of_a_row_is_required(key: str) -> None:
    row = {k: v for k, v in ROW.items() if k != key}
    with pytest.raises(PlanError, match=f"marginal\\[0\\].{key}: is required"):
        Plan.from_json(_plan_with([row]))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_plan_with([row]), PLAN_SCHEMA)


def test_not_a_list_is_refused() -> None:
    with pytest.raises(PlanError, match="marginal: must be an array"):
        Plan.from_json(_plan_with({"F": 1}))  # type: ignore[arg-type]


def test_the_checker_ignores_the_section(written: str) -> None:
    """It is about other scenarios (each with one fund raised): nothing in it is checked
    against this one, not even its fund ids."""
    scenario = parse_scenario(load(EXAMPLE))
    doc = json.loads(written)
    doc["marginal"] = [{**ROW, "fund": "F-unknown", "extra_value": 10**9}]
    assert check(scenario, Plan.from_json(doc)) == []
