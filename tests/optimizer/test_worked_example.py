"""The worked example of docs/spec/examples reproduces its known optimum exactly."""

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from coalition.optimizer import spec
from coalition.optimizer.check import check
from coalition.optimizer.cli import main
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Plan
from coalition.optimizer.solve import solve

from .helpers import EXAMPLE, EXPECTED, load


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    return solve(parse_scenario(load(EXAMPLE)), compare_separate=True).to_json()


def test_api_reproduces_the_expected_optimum(plan: dict) -> None:
    expected = load(EXPECTED)
    assert plan["status"] == "optimal"
    assert plan["value"] == expected["value"] == 4350
    assert plan["cost"] == expected["cost"] == "2497500.00"
    assert plan["separate"]["value"] == expected["separate"]["value"] == 4170
    assert plan["separate"]["cost"] == expected["separate"]["cost"] == "2484000.00"
    assert plan["bound"] == 4350 and plan["gap"] == 0


def test_plan_follows_the_schema_and_passes_the_checker(plan: dict) -> None:
    jsonschema.validate(plan, json.loads(spec.path("plan.schema.json").read_text()))
    jsonschema.validate(load(EXAMPLE), json.loads(spec.path("scenario.schema.json").read_text()))
    assert check(parse_scenario(load(EXAMPLE)), Plan.from_json(plan)) == []


def test_plan_details(plan: dict) -> None:
    assert plan["scenario"] == "drone-coalition-2025-example"
    assert plan["currency"] == "EUR"
    assert plan["solver"]["name"] == "HiGHS"
    assert {o["offer"]: (o["quantity"], o["unit_price"]) for o in plan["orders"]} == {
        "O1": (135, "10500.00"),
        "O3": (3000, "360.00"),
    }
    assert [c["covered"] for c in plan["coverage"]] == [135, 2000, 1000]
    paid: dict[str, float] = {}
    for p in plan["payments"]:
        paid[p["fund"]] = paid.get(p["fund"], 0) + float(p["amount"])
    assert paid["F-lv-national"] <= 1_000_000 and paid["F-no-industry"] <= 700_000
    # Latvia's fund is earmarked for tactical-recon: it pays for nothing else.
    assert all(p["offer"] == "O1" for p in plan["payments"] if p["fund"] == "F-lv-national")


def test_cli_solve_prints_the_plan_and_check_accepts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["solve", str(EXAMPLE), "--compare-separate"]) == 0
    out, err = capsys.readouterr()
    printed = json.loads(out)  # stdout is nothing but the plan
    assert (printed["value"], printed["cost"]) == (4350, "2497500.00")
    assert (printed["separate"]["value"], printed["separate"]["cost"]) == (4170, "2484000.00")
    assert "optimal: value 4350" in err

    target = tmp_path / "plan.json"
    assert main(["solve", str(EXAMPLE), "--output", str(target), "--time-limit", "30"]) == 0
    out, _ = capsys.readouterr()
    assert out == ""
    assert json.loads(target.read_text())["solver"]["time_limit"] == 30
    assert main(["check", str(EXAMPLE), str(target)]) == 0
    assert capsys.readouterr().out.startswith("feasible: value 4350, cost 2497500.00 EUR")


def test_cli_check_lists_every_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = solve(parse_scenario(load(EXAMPLE))).to_json()
    plan["orders"][0]["unit_price"] = "12000.00"  # the tier for 135 units is 10500.00
    plan["payments"][0]["amount"] = "1.00"
    target = tmp_path / "plan.json"
    target.write_text(json.dumps(plan))
    assert main(["check", str(EXAMPLE), str(target)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("rule 2 (tier pricing): offer O1") for line in lines)
    assert any(line.startswith("rule 5 (payments)") for line in lines)
    assert len(lines) >= 3
