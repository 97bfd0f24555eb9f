"""On many random tiny scenarios the solver's value and least cost equal an exhaustive
enumeration (helpers.brute_force shares no code with the models)."""

from decimal import Decimal

import pytest

from coalition.optimizer.baseline import baseline_plan
from coalition.optimizer.check import check
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.separate import solve_separate
from coalition.optimizer.solve import solve

from .helpers import brute_force, brute_force_separate, tiny_scenario

SEEDS = range(300)


def cents(money: Decimal) -> int:
    return int(money * 100)


@pytest.mark.parametrize("seed", SEEDS)
def test_pooled_optimum_matches_enumeration(seed: int) -> None:
    scenario = parse_scenario(tiny_scenario(seed))
    value, cost = brute_force(scenario)
    plan = solve(scenario, cost_gap=0.0)
    assert check(scenario, plan) == []
    assert plan.status == "optimal"
    assert plan.value == value
    assert cents(plan.cost) == cost
    baseline = baseline_plan(scenario)
    assert check(scenario, baseline) == []
    assert baseline.value <= value


@pytest.mark.parametrize("seed", range(60))
def test_separate_optimum_matches_enumeration(seed: int) -> None:
    scenario = parse_scenario(tiny_scenario(1000 + seed, offers=2, requirements=2))
    value, cost = brute_force_separate(scenario)
    separate = solve_separate(scenario, cost_gap=0.0)
    assert separate.status == "optimal"
    assert separate.value == value
    assert cents(separate.cost) == cost
