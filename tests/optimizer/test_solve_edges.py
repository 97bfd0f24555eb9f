"""Edge cases of solving: nothing to buy, decimal weights, the progress display."""

import io
import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest

from coalition.optimizer import spec
from coalition.optimizer.builder import ProgressEvent
from coalition.optimizer.check import check
from coalition.optimizer.generate import generate
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.progress import ProgressLine, describe
from coalition.optimizer.separate import solve_separate
from coalition.optimizer.solve import solve

from .helpers import EXAMPLE, load

PLAN_SCHEMA = json.loads(spec.path("plan.schema.json").read_text())


def _empty(**parts: Any) -> dict[str, Any]:
    doc = {"start": "2025-01-01", "requirements": [], "offers": [], "funds": []}
    doc.update(parts)
    return doc


@pytest.mark.parametrize(
    "doc",
    [
        _empty(),
        _empty(requirements=load(EXAMPLE)["requirements"]),
        _empty(requirements=load(EXAMPLE)["requirements"], offers=load(EXAMPLE)["offers"]),
        {**load(EXAMPLE), "funds": [{"id": "F", "donor": "GB", "amount": "0.00"}]},
        {**load(EXAMPLE), "start": "2026-01-01"},  # every need is already past
    ],
    ids=["empty", "needs-only", "no-money", "zero-fund", "too-late"],
)
def test_buying_nothing_is_the_optimal_plan_when_nothing_can_be_bought(doc: dict) -> None:
    scenario = parse_scenario(doc)
    plan = solve(scenario, compare_separate=True)
    doc_out = plan.to_json()
    jsonschema.validate(doc_out, PLAN_SCHEMA)
    assert doc_out["status"] == "optimal"
    assert (doc_out["value"], doc_out["cost"], doc_out["orders"], doc_out["payments"]) == (
        0,
        "0.00",
        [],
        [],
    )
    assert len(doc_out["coverage"]) == len(doc["requirements"])
    assert (doc_out["separate"]["value"], doc_out["separate"]["cost"]) == (0, "0.00")
    assert check(scenario, plan) == []


def test_decimal_weights_give_an_exact_value() -> None:
    doc = load(EXAMPLE)
    doc["requirements"][0]["weight"] = Decimal("10.25")
    doc["requirements"][1]["weight"] = 0.1  # a float, as a Python caller might pass it
    plan = solve(parse_scenario(doc))
    covered = {c.requirement: c.covered for c in plan.coverage}
    exact = Decimal("10.25") * covered["R1"] + Decimal("0.1") * covered["R2"] + covered["R3"]
    assert plan.value == exact
    assert plan.status == "optimal"
    assert check(parse_scenario(doc), plan) == []


def test_generated_plans_follow_the_schema() -> None:
    scenario = parse_scenario(generate(8, 20, 3, budget="tight", seed=5))
    plan = solve(scenario, compare_separate=True, time_limit=4)
    jsonschema.validate(plan.to_json(), PLAN_SCHEMA)
    assert check(scenario, plan) == []
    assert plan.separate is not None and plan.bound is not None
    assert plan.separate.value <= plan.bound  # tiers fall with quantity here
    assert all(o.quantity >= 1 for o in plan.orders + plan.separate.orders)
    assert all(a.quantity >= 1 for a in plan.assignments)
    assert all(p.amount > 0 for p in plan.payments)


def test_separate_alone() -> None:
    separate = solve_separate(parse_scenario(load(EXAMPLE)))
    assert (separate.value, str(separate.cost), separate.status) == (4170, "2484000.00", "optimal")
    funds = {o.fund for o in separate.orders}
    assert funds == {"F-common", "F-lv-national", "F-no-industry"}


def test_progress_line_redraws_in_place_on_a_terminal() -> None:
    stream = io.StringIO()
    line = ProgressLine(stream, live=True)
    line(ProgressEvent("value", 4000.0, 4400.0, 0.1, 1.5))
    line(ProgressEvent("cost", 2497500.0, 2497000.0, 0.0002, 2.0))
    line.close()
    text = stream.getvalue()
    assert text.startswith("\r[value] value 4,000  bound 4,400  gap 10.0000%  1.5s")
    assert "\r[cost] cost 2,497,500.00  bound 2,497,000.00  gap 0.0200%  2.0s" in text
    assert text.endswith("\r")


def test_progress_lines_are_sparse_in_logs() -> None:
    stream = io.StringIO()
    line = ProgressLine(stream, live=False, every=0.0)
    line(ProgressEvent("separate value", None, None, None, 0.3))
    assert stream.getvalue() == "[separate value] value -  bound -  gap -  0.3s\n"
    assert describe(ProgressEvent("value", 12.0, 13.0, None, 0.0)).startswith("[value] value 12")


def test_weights_with_many_decimals_fall_back_to_floats_and_stay_exact() -> None:
    from .helpers import brute_force, tiny_scenario

    for seed in range(40):
        doc = tiny_scenario(seed)
        for i, req in enumerate(doc["requirements"]):
            req["weight"] = Decimal("0.3333333") * (i + 1)  # 7 decimals: not scaled to ints
        scenario = parse_scenario(doc)
        value, cost = brute_force(scenario)
        plan = solve(scenario, cost_gap=0.0)
        assert check(scenario, plan) == []
        assert plan.value == value
        assert int(plan.cost * 100) == cost


def test_large_numbers_stay_exact() -> None:
    doc = {
        "start": "2025-01-01",
        "requirements": [
            {"id": "R1", "category": "c", "quantity": 10_000_000, "weight": 3,
             "needed_by": "2025-12-31"},
            {"id": "R2", "category": "d", "quantity": 500, "weight": 1000,
             "needed_by": "2025-06-30"},
        ],
        "offers": [
            {"id": "cheap", "supplier": "S", "origin": "UA", "category": "c",
             "lead_time_days": 0, "capacity_per_30_days": 5_000_000,
             "tiers": [{"min_quantity": 1, "unit_price": "0.07"},
                       {"min_quantity": 1_000_000, "unit_price": "0.05"}]},
            {"id": "dear", "supplier": "T", "origin": "PL", "category": "d",
             "lead_time_days": 10, "capacity_per_30_days": 100,
             "tiers": [{"min_quantity": 1, "unit_price": "999999.99"}]},
        ],
        "funds": [
            {"id": "F1", "donor": "GB", "amount": "123456789.01"},
            {"id": "F2", "donor": "NO", "amount": "400000.03", "origins": ["UA"]},
        ],
    }  # fmt: skip
    scenario = parse_scenario(doc)
    plan = solve(scenario)
    assert check(scenario, plan) == []
    assert plan.status == "optimal"
    orders = {o.offer: o for o in plan.orders}
    assert orders["cheap"].quantity == 10_000_000
    assert str(orders["cheap"].cost) == "500000.00"
    # What is left after the cheap units buys the dear ones, a whole number of them.
    assert orders["dear"].quantity == (12345678901 + 40000003 - 50000000) // 99999999


def test_a_payment_failure_falls_back_to_a_checked_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    import coalition.optimizer.solve as solve_module

    monkeypatch.setattr(solve_module, "allocate", lambda scenario, costs: None)
    scenario = parse_scenario(load(EXAMPLE))
    plan = solve_module.solve(scenario)
    assert plan.status == "feasible"  # the baseline: nothing proven about it
    assert check(scenario, plan) == []
