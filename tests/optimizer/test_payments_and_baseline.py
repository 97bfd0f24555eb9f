"""Payments are an exact flow of cents; the greedy baseline is itself a feasible plan."""

from decimal import Decimal

import pytest

from coalition.optimizer.baseline import baseline_plan, greedy
from coalition.optimizer.check import check
from coalition.optimizer.generate import generate, generate_size
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.payments import allocate
from coalition.optimizer.solve import solve

from .helpers import EXAMPLE, load


def _scenario(amounts: list[str], prices: list[str], quantity: int = 1) -> dict:
    return {
        "start": "2025-01-01",
        "requirements": [
            {"id": "R", "category": "c", "quantity": 100, "weight": 1, "needed_by": "2025-12-31"}
        ],
        "offers": [
            {
                "id": f"O{i}",
                "supplier": "S",
                "origin": "UA",
                "category": "c",
                "lead_time_days": 0,
                "capacity_per_30_days": quantity,
                "tiers": [{"min_quantity": 1, "unit_price": price}],
            }
            for i, price in enumerate(prices)
        ],
        "funds": [{"id": f"F{i}", "donor": "GB", "amount": a} for i, a in enumerate(amounts)],
    }


def test_allocation_is_exact_to_the_cent() -> None:
    # Three funds of 33.34 + 33.33 + 33.33 pay three orders of 33.33 + 33.33 + 33.34:
    # any split by shares and rounding would be a cent off somewhere.
    scenario = parse_scenario(_scenario(["33.34", "33.33", "33.33"], ["33.33", "33.33", "33.34"]))
    payments = allocate(scenario, {0: 3333, 1: 3333, 2: 3334})
    assert payments is not None
    for o, cost in {0: 3333, 1: 3333, 2: 3334}.items():
        assert sum(c for (_, p), c in payments.items() if p == o) == cost
    for f, fund in enumerate(scenario.funds):
        assert sum(c for (g, _), c in payments.items() if g == f) <= fund.amount_cents
    assert allocate(scenario, {0: 3333, 1: 3333, 2: 3335}) is None  # a cent too much


def test_solver_spends_every_cent_it_can() -> None:
    # 10.01 + 10.00 buys exactly 3 units at 6.67 = 20.01: only an exact split pays it.
    scenario = parse_scenario(_scenario(["10.01", "10.00"], ["6.67"], quantity=300))
    plan = solve(scenario)
    assert (plan.value, plan.cost) == (3, Decimal("20.01"))
    assert sorted(str(p.amount) for p in plan.payments) == ["10.00", "10.01"]
    assert check(scenario, plan) == []


@pytest.mark.parametrize(
    "doc",
    [
        load(EXAMPLE),
        generate_size("small", "tight"),
        generate_size("small", "loose"),
        generate_size("medium", "tight"),
        *(generate(12, 30, 4, budget="tight", seed=s) for s in range(5)),
    ],
)
def test_baseline_is_feasible_and_not_better_than_the_optimiser(doc: dict) -> None:
    scenario = parse_scenario(doc)
    baseline = baseline_plan(scenario)
    assert check(scenario, baseline) == []
    assert baseline.status == "feasible"
    plan = solve(scenario, time_limit=2)
    assert plan.value >= baseline.value
    assert plan.bound is not None and plan.bound >= baseline.value


def test_separate_baseline_keeps_each_fund_within_its_money() -> None:
    scenario = parse_scenario(generate_size("small", "tight"))
    result = greedy(scenario, separate=True)
    spent = [0] * len(scenario.funds)
    for (o, f), q in result.separate_orders.items():
        offer = scenario.offers[o]
        assert scenario.funds[f].may_pay(offer)
        spent[f] += offer.cost_cents(q)
    assert all(s <= f.amount_cents for s, f in zip(spent, scenario.funds, strict=True))
