"""`Plan.from_json` / `Plan.to_json`: the typed plan round-trips plan.schema.json exactly."""

import copy
import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest

from coalition.optimizer import spec
from coalition.optimizer.baseline import baseline_plan
from coalition.optimizer.cli import main
from coalition.optimizer.errors import PlanError
from coalition.optimizer.generate import generate
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Order, Plan, Separate, SolverInfo
from coalition.optimizer.solve import solve

from .helpers import EXAMPLE, EXPECTED, load, tiny_scenario

PLAN_SCHEMA = json.loads(spec.path("plan.schema.json").read_text())


@pytest.fixture(scope="module")
def cli_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The worked example's plan exactly as `coalition plan solve` writes it."""
    target = tmp_path_factory.mktemp("plan") / "worked-example.plan.json"
    assert main(["solve", str(EXAMPLE), "--compare-separate", "--output", str(target)]) == 0
    return target.read_text()


def _round_trip(doc: dict[str, Any]) -> dict[str, Any]:
    return Plan.from_json(doc).to_json()


def test_the_worked_example_round_trips_to_the_byte(cli_text: str) -> None:
    text = cli_text
    doc = json.loads(text)
    again = json.dumps(_round_trip(doc), indent=2, ensure_ascii=False) + "\n"
    assert again == text
    expected = load(EXPECTED)
    plan = Plan.from_json(doc)
    assert (plan.value, plan.cost) == (expected["value"], Decimal(expected["cost"]))
    assert plan.separate is not None
    assert (plan.separate.value, plan.separate.cost) == (4170, Decimal("2484000.00"))


def test_a_plan_read_as_the_cli_reads_it_keeps_its_key_order(cli_text: str) -> None:
    """The CLI decodes numbers with a fraction as Decimal: the same plan, the same keys."""
    doc = json.loads(cli_text, parse_float=Decimal)
    again = _round_trip(doc)
    assert list(again) == list(doc)
    assert list(again["solver"]) == ["name", "version", "seconds", "time_limit", "cost_gap"]
    assert list(again["separate"]) == [
        "value",
        "cost",
        "orders",
        "status",
        "bound",
        "gap",
        "coverage",
    ]
    assert again["orders"] == doc["orders"] and again["coverage"] == doc["coverage"]


@pytest.mark.parametrize("seed", range(6))
def test_solved_and_baseline_plans_round_trip_and_follow_the_schema(seed: int) -> None:
    doc = tiny_scenario(seed) if seed < 10 else generate(8, 20, 3, budget="tight", seed=seed)
    scenario = parse_scenario(doc)
    for plan in (solve(scenario, compare_separate=True, time_limit=10), baseline_plan(scenario)):
        out = plan.to_json()
        jsonschema.validate(out, PLAN_SCHEMA)
        assert Plan.from_json(out) == plan
        wire = json.loads(json.dumps(out))  # what a database or a file gives back
        assert _round_trip(wire) == wire
        assert list(_round_trip(wire)) == list(wire)


def test_money_and_numbers_keep_their_json_form(cli_text: str) -> None:
    doc = json.loads(cli_text)
    doc["payments"][0]["amount"] = "1250.5"  # one decimal is valid money: kept as written
    doc["value"] = 4350.25
    doc["bound"] = 4351
    doc["orders"][0]["cost"] = "0.00"
    again = _round_trip(doc)
    assert again["payments"][0]["amount"] == "1250.5"
    assert again["orders"][0]["cost"] == "0.00"
    assert again["value"] == 4350.25 and isinstance(again["bound"], int)
    plan = Plan.from_json(doc)
    assert plan.payments[0].amount == Decimal("1250.50") and plan.value == Decimal("4350.25")


def test_a_minimal_plan_from_elsewhere_round_trips() -> None:
    doc = {
        "status": "feasible",
        "value": 0,
        "cost": "0.00",
        "currency": "EUR",
        "solver": {"name": "by hand", "time_limit": None},
        "orders": [],
        "assignments": [],
        "payments": [],
        "coverage": [{"requirement": "R1", "covered": 0, "quantity": 3}],
        "separate": {"value": 0, "cost": "0.00", "orders": []},
    }
    assert _round_trip(copy.deepcopy(doc)) == doc
    plan = Plan.from_json(doc)
    assert plan.solver == SolverInfo(name="by hand", nulls=frozenset({"time_limit"}))
    assert plan.separate == Separate(Decimal(0), Decimal("0.00"), ())
    assert plan.bound is None and plan.scenario is None
    assert plan.coverage[0].missing == 3


def test_separate_orders_carry_their_fund_and_pooled_orders_do_not(cli_text: str) -> None:
    plan = Plan.from_json(json.loads(cli_text))
    assert plan.separate is not None
    assert all(order.fund for order in plan.separate.orders)
    assert all(order.fund is None for order in plan.orders)
    order = Order(offer="O1", quantity=2, unit_price=Decimal("10.00"), cost=Decimal("20"), fund="F")
    assert list(order.to_json()) == ["offer", "fund", "quantity", "unit_price", "cost"]


def test_a_bad_plan_names_every_json_path(cli_text: str) -> None:
    doc = json.loads(cli_text)
    doc["status"] = "great"
    doc["orders"][0]["unit_price"] = 12000
    doc["solver"]["time_limit"] = "soon"
    doc["separate"]["gap"] = -1
    doc["orders"][1]["quantity"] = "135"
    del doc["payments"][0]["fund"]
    del doc["coverage"]
    with pytest.raises(PlanError) as raised:
        Plan.from_json(doc)
    assert raised.value.errors == [
        'status: must be "optimal" or "feasible"',
        "solver.time_limit: must be a number or null",
        'orders[0].unit_price: must be a money string such as "1250.00"',
        "orders[1].quantity: must be an integer of at least 1",
        "payments[0].fund: is required",
        "coverage: is required",
        "separate.gap: must be at least 0",
    ]
    with pytest.raises(PlanError) as raised:
        Plan.from_json([])
    assert raised.value.errors == ["(root): must be an object"]


def test_separate_coverage_adds_up_to_its_assignments_and_value() -> None:
    """Each fund buying alone: the units each requirement gets on time, whose weighted sum
    is the separate value."""
    scenario = parse_scenario(tiny_scenario(3))
    separate = solve(scenario, compare_separate=True, time_limit=10).separate
    assert separate is not None and separate.coverage is not None
    weights = {r.id: r.weight for r in scenario.requirements}
    assert [c.requirement for c in separate.coverage] == [r.id for r in scenario.requirements]
    assert sum(weights[c.requirement] * c.covered for c in separate.coverage) == separate.value
    assert all(0 <= c.covered <= c.quantity for c in separate.coverage)
