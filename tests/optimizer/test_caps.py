"""An offer's `max_quantity` (rule 1, the trial cap of a testing gate): the schema and the
parser take it, the checker refuses a plan over it, and the optimiser (pooled and
separate) and the baseline keep it. Random tiny scenarios with caps are compared with
enumeration in test_brute_force.py."""

import copy
import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest

from coalition.optimizer import spec
from coalition.optimizer.baseline import baseline_plan, greedy
from coalition.optimizer.check import check
from coalition.optimizer.errors import ScenarioError
from coalition.optimizer.generate import generate
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Plan
from coalition.optimizer.solve import solve

from .helpers import EXAMPLE, EXPECTED, load

SCENARIO_SCHEMA = json.loads(spec.path("scenario.schema.json").read_text())


def _capped(**caps: object) -> dict[str, Any]:
    """The worked example with `max_quantity` on the offers named."""
    doc = copy.deepcopy(load(EXAMPLE))
    for offer in doc["offers"]:
        if offer["id"] in caps:
            offer["max_quantity"] = caps[offer["id"]]
    return doc


def _ordered(orders: Any) -> dict[str, int]:
    units: dict[str, int] = {}
    for order in orders:
        units[order.offer] = units.get(order.offer, 0) + order.quantity
    return units


def test_the_worked_example_without_caps_keeps_its_known_optimum() -> None:
    plan = solve(parse_scenario(load(EXAMPLE)), compare_separate=True)
    expected = load(EXPECTED)
    assert (plan.status, plan.value, str(plan.cost)) == ("optimal", 4350, expected["cost"])
    assert plan.separate is not None
    assert (plan.separate.value, str(plan.separate.cost)) == (4170, "2484000.00")


def test_a_cap_on_the_worked_example_is_kept_and_the_plan_proven_optimal() -> None:
    """O1 (tactical-recon at 10,500 from 100 units) capped at 100 of the 135 it sold: the
    3000 FPV stay (O3, 1,080,000.00, best value per euro), O1 sells its 100 (1,050,000.00),
    and of the 2,500,000.00 the 370,000.00 left buy 26 units of O2 at 14,000.00 (fewer
    than the 50 of its cheaper tier): value 3000 + 10 x 126 = 4260, cost 2,494,000.00."""
    scenario = parse_scenario(_capped(O1=100))
    plan = solve(scenario, compare_separate=True)
    assert check(scenario, plan) == []
    assert (plan.status, plan.value, str(plan.cost), plan.gap) == (
        "optimal",
        4260,
        "2494000.00",
        0,
    )
    assert _ordered(plan.orders) == {"O1": 100, "O2": 26, "O3": 3000}
    assert plan.separate is not None and plan.separate.status == "optimal"
    assert _ordered(plan.separate.orders)["O1"] <= 100  # all funds' orders together
    assert plan.separate.value <= plan.value


def test_separate_buying_keeps_the_cap_over_every_funds_orders() -> None:
    """Uncapped, three funds order O1, 117 units together; capped at 90, the orders of
    all funds together stay within 90 (each fund alone could afford more)."""
    scenario = parse_scenario(_capped(O1=90, O3=1600))
    plan = solve(scenario, compare_separate=True)
    assert check(scenario, plan) == []
    assert plan.separate is not None
    units = _ordered(plan.separate.orders)
    assert units["O1"] <= 90 and units.get("O3", 0) <= 1600
    assert len({o.fund for o in plan.separate.orders if o.offer == "O1"}) >= 2
    assert _ordered(plan.orders)["O1"] <= 90 and _ordered(plan.orders)["O3"] <= 1600


def test_a_cap_below_the_first_tier_means_no_order() -> None:
    doc = _capped(O2=49, O1=5)  # O1's first tier is 1: 5 units allowed
    doc["offers"][1]["tiers"] = [{"min_quantity": 50, "unit_price": "13000.00"}]
    scenario = parse_scenario(doc)
    plan = solve(scenario, compare_separate=True)
    assert check(scenario, plan) == []
    assert plan.status == "optimal"
    assert _ordered(plan.orders).get("O1", 0) <= 5 and "O2" not in _ordered(plan.orders)
    assert plan.separate is not None and "O2" not in _ordered(plan.separate.orders)


def test_the_checker_refuses_an_order_over_the_cap_naming_offer_and_rule() -> None:
    plan = solve(parse_scenario(load(EXAMPLE)), compare_separate=True)
    capped = parse_scenario(_capped(O1=100))
    violations = check(capped, plan)
    assert "rule 1 (orders): offer O1: 135 units ordered, more than its max_quantity 100" in (
        violations
    )
    separate_total = _ordered(plan.separate.orders if plan.separate else ())["O1"]
    assert violations == [
        "rule 1 (orders): offer O1: 135 units ordered, more than its max_quantity 100",
        f"separate rule 1 (orders): offer O1: {separate_total} units ordered, more than its "
        "max_quantity 100",
    ]
    assert check(parse_scenario(_capped(O1=135)), plan) == []  # the cap itself is allowed


@pytest.mark.parametrize("seed", range(4))
def test_the_baseline_keeps_the_caps(seed: int) -> None:
    doc = generate(12, 30, 4, budget="loose", seed=seed)
    uncapped = parse_scenario(doc)
    before = _ordered(baseline_plan(uncapped).orders)
    for offer in doc["offers"]:  # cap every offer the baseline buys at half of it
        if before.get(offer["id"], 0) >= 2:
            offer["max_quantity"] = before[offer["id"]] // 2
    scenario = parse_scenario(doc)
    baseline = baseline_plan(scenario)
    assert check(scenario, baseline) == []
    caps = {o.id: o.max_quantity for o in scenario.offers if o.max_quantity is not None}
    assert caps
    assert all(
        units <= caps.get(offer, units) for offer, units in _ordered(baseline.orders).items()
    )
    per_offer: dict[int, int] = {}
    for (o, _), units in greedy(scenario, separate=True).separate_orders.items():
        per_offer[o] = per_offer.get(o, 0) + units
    for o, units in per_offer.items():
        cap = scenario.offers[o].max_quantity
        assert cap is None or units <= cap
    plan = solve(scenario, time_limit=10)
    assert check(scenario, plan) == [] and plan.value >= baseline.value


def test_the_schema_takes_a_cap_and_refuses_a_bad_one() -> None:
    jsonschema.validate(_capped(O1=100, O3=1), SCENARIO_SCHEMA)
    for bad in (0, -3, 10**9 + 1, "100", 2.5, None):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(_capped(O1=bad), SCENARIO_SCHEMA)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "must be at least 1"),
        (-3, "must be at least 1"),
        ("100", "must be an integer"),
        (2.5, "must be an integer"),
        (None, "must be an integer"),
        (True, "must be an integer"),
        (10**9 + 1, "must be at most 1000000000 (limit)"),
    ],
)
def test_the_parser_names_the_path_of_a_bad_cap(value: object, message: str) -> None:
    doc = _capped()
    doc["offers"][2]["max_quantity"] = value
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(doc)
    assert raised.value.errors == [f"offers[2].max_quantity: {message}"]


def test_the_parser_reads_a_cap_and_its_absence() -> None:
    scenario = parse_scenario(_capped(O1=100))
    assert [o.max_quantity for o in scenario.offers] == [100, None, None, None]
    doc = _capped()
    doc["offers"][0]["max_quantity"] = Decimal("7.0")  # JSON Schema's integer, as read
    assert parse_scenario(doc).offers[0].max_quantity == 7


def test_a_capped_plan_round_trips() -> None:
    scenario = parse_scenario(_capped(O3=1000))
    plan = solve(scenario)
    assert Plan.from_json(plan.to_json()) == plan
    assert _ordered(plan.orders)["O3"] == 1000
