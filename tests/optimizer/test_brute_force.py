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


@pytest.mark.parametrize("seed", range(120))
def test_capped_pooled_optimum_matches_enumeration(seed: int) -> None:
    """Offers with a `max_quantity`: the optimiser and the baseline keep it, and the
    optimum is the enumeration's, which never orders more than the cap."""
    scenario = parse_scenario(tiny_scenario(seed, caps=True))
    value, cost = brute_force(scenario)
    plan = solve(scenario, cost_gap=0.0)
    assert check(scenario, plan) == []
    assert (plan.status, plan.value, cents(plan.cost)) == ("optimal", value, cost)
    baseline = baseline_plan(scenario)
    assert check(scenario, baseline) == []
    assert baseline.value <= value


@pytest.mark.parametrize("seed", range(40))
def test_capped_separate_optimum_matches_enumeration(seed: int) -> None:
    scenario = parse_scenario(tiny_scenario(1000 + seed, offers=2, requirements=2, caps=True))
    value, cost = brute_force_separate(scenario)
    separate = solve_separate(scenario, cost_gap=0.0)
    assert (separate.status, separate.value, cents(separate.cost)) == ("optimal", value, cost)


def test_the_caps_change_the_optimum_of_many_capped_scenarios() -> None:
    """The capped tests above are not vacuous: the caps bind in a good share of them."""
    changed = sum(
        brute_force(parse_scenario(tiny_scenario(seed, caps=True)))
        != brute_force(parse_scenario(tiny_scenario(seed)))
        for seed in range(120)
    )
    assert changed >= 20, changed  # 32 of 120
    changed = sum(
        brute_force_separate(parse_scenario(tiny_scenario(1000 + seed, 2, 2, caps=True)))
        != brute_force_separate(parse_scenario(tiny_scenario(1000 + seed, 2, 2)))
        for seed in range(40)
    )
    assert changed >= 4, changed  # 8 of 40
