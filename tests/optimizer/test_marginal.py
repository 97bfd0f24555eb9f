"""`marginal_values`: what raising each fund's amount buys on top of a plan, against
optima derived by hand (the worked example) and by enumeration (tiny random scenarios,
raised in their JSON, not by the code under test)."""

import copy
import random
from decimal import Decimal
from typing import Any

import pytest

from coalition.optimizer.builder import ProgressEvent
from coalition.optimizer.generate import generate
from coalition.optimizer.marginal import _no_worse, marginal_values, payer_classes, raise_fund
from coalition.optimizer.model import ModelOptions
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Marginal
from coalition.optimizer.progress import describe
from coalition.optimizer.render import Solution, Verdict, solution_of
from coalition.optimizer.scenario import Scenario
from coalition.optimizer.solve import solve

from .helpers import EXAMPLE, brute_force, load, tiny_scenario

MILLION = Decimal("1000000")


def _example_with_more_funds() -> dict[str, Any]:
    """The worked example and three funds holding nothing yet: one for Latvian recon
    drones only (offer O2), one for FPV drones only, one for US goods (nothing offered)."""
    doc = load(EXAMPLE)
    doc["funds"] += [
        {
            "id": "F-lv-recon",
            "donor": "PL",
            "amount": "0.00",
            "categories": ["tactical-recon"],
            "origins": ["LV"],
        },
        {"id": "F-fpv", "donor": "DE", "amount": "0.00", "categories": ["fpv"]},
        {"id": "F-us", "donor": "US", "amount": "0.00", "origins": ["US"]},
    ]
    return doc


def _rows(rows: tuple[Marginal, ...]) -> dict[str, tuple[Any, ...]]:
    return {r.fund: (r.extra_value, r.extra_units, r.extra_cost, r.status, r.gap) for r in rows}


def test_the_worked_example_by_hand() -> None:
    """The optimum (SCENARIO.md's example: 4350, EUR 2,497,500.00) buys 3000 FPV drones
    from O3 at 360.00 (EUR 1,080,000; every FPV need, and the best value per euro) and
    135 recon drones from O1 at 10,500.00 with the EUR 1,420,000 left (136 would cost
    1,428,000). Recon drones are all that is left to buy (R1: 300 by day 213, O1 delivers
    366 by then), at 10 value for 10,500.00 from O1 or 13,000.00 from O2.

    - F-common, F-lv-national, F-no-industry (+1M): all three may pay O1, so the recon
      money becomes 2,420,000: 230 from O1 (2,415,000): +95 units, +950 value, cost
      +997,500.00.
    - F-fpv (+1M, FPV only): it pays the FPV order, which frees the others' money for
      recon: the same 230 from O1, +950.
    - F-lv-recon (+1M, Latvian recon only, O2): O1 stays at 135 (1,417,500 of the
      1,420,000); O2 takes the raise and the 2,500 left: 77 at 13,000.00 (1,001,000;
      78 would cost 1,014,000): +77 units, +770, cost +1,001,000.00.
    - F-us (+1M): nothing on offer is from the US: +0, at the same cost, proven.
    """
    scenario = parse_scenario(_example_with_more_funds())
    plan = solve(scenario, cost_gap=0.0)
    assert (plan.status, plan.value, plan.cost) == ("optimal", 4350, Decimal("2497500.00"))
    rows = marginal_values(scenario, plan, cost_gap=0.0)
    assert [r.fund for r in rows] == [f.id for f in scenario.funds]
    assert all(r.raise_by == MILLION for r in rows)
    most = (Decimal(950), {"R1": 95}, Decimal("997500.00"), "optimal", 0.0)
    assert _rows(rows) == {
        "F-common": most,
        "F-lv-national": most,
        "F-no-industry": most,
        "F-lv-recon": (Decimal(770), {"R1": 77}, Decimal("1001000.00"), "optimal", 0.0),
        "F-fpv": most,
        "F-us": (Decimal(0), {}, Decimal("0.00"), "optimal", 0.0),
    }


def test_other_raises_of_the_worked_example() -> None:
    """+10,000: one more recon drone (10,500.00 with the 2,500 left). +5M: R1 in full
    (300 from O1, 3,150,000), the rest of the money has nothing left to buy."""
    scenario = parse_scenario(load(EXAMPLE))
    plan = solve(scenario, cost_gap=0.0)
    small = marginal_values(scenario, plan, raise_by=Decimal("10000"), cost_gap=0.0)
    assert {r.extra_value for r in small} == {10}
    assert {r.extra_cost for r in small} == {Decimal("10500.00")}
    big = marginal_values(scenario, plan, raise_by=Decimal("5000000.00"), cost_gap=0.0)
    assert {(r.extra_value, r.extra_cost) for r in big} == {(1650, Decimal("1732500.00"))}
    assert all(r.extra_units == {"R1": 165} and r.status == "optimal" for r in big)


def test_a_plan_and_its_solution_give_the_same_rows() -> None:
    scenario = parse_scenario(load(EXAMPLE))
    plan = solve(scenario)
    assert marginal_values(scenario, plan) == marginal_values(scenario, solution_of(scenario, plan))


def _money_bound(seed: int) -> tuple[dict[str, Any], Decimal]:
    """A tiny scenario with a tenth of its money (most tiny ones can already buy all that
    can be delivered: a raise would buy nothing) and a twin of its first fund (same
    earmarks, its own amount: the two share a re-solve), and the raise to try on it."""
    doc = tiny_scenario(seed)
    for fund in doc["funds"]:
        fund["amount"] = f"{Decimal(fund['amount']) / 10:.2f}"
    doc["funds"].append({**doc["funds"][0], "id": "F-twin", "amount": "3.00"})
    return doc, Decimal(random.Random(f"raise/{seed}").choice(["5.00", "15.00", "40.00"]))


def _raised_doc(doc: dict[str, Any], f: int, amount: Decimal) -> dict[str, Any]:
    raised = copy.deepcopy(doc)
    fund = raised["funds"][f]
    fund["amount"] = f"{Decimal(fund['amount']) + amount:.2f}"
    return raised


@pytest.mark.parametrize("seed", range(80))
def test_extra_value_is_the_difference_of_enumerated_optima(seed: int) -> None:
    """extra_value == optimum(raised) - optimum(original) and extra_cost the difference of
    the least costs, exactly; a solve of the raised scenario from scratch (no warm start)
    agrees; extra_units is what makes up extra_value."""
    doc, raise_by = _money_bound(seed)
    scenario = parse_scenario(doc)
    value, cost = brute_force(scenario)
    plan = solve(scenario, cost_gap=0.0)
    assert plan.status == "optimal"
    rows = marginal_values(scenario, plan, raise_by=raise_by, cost_gap=0.0)
    weights = {r.id: r.weight for r in scenario.requirements}
    for f, row in enumerate(rows):
        raised = parse_scenario(_raised_doc(doc, f, raise_by))
        raised_value, raised_cost = brute_force(raised)
        assert row.fund == scenario.funds[f].id and row.raise_by == raise_by
        assert row.status == "optimal" and row.gap == 0
        assert row.extra_value == raised_value - value
        assert row.extra_cost == Decimal(raised_cost - cost).scaleb(-2)
        assert sum(weights[r] * n for r, n in row.extra_units.items()) == row.extra_value
        scratch = solve(raised, cost_gap=0.0, options=ModelOptions(warm_start=False))
        assert (scratch.status, scratch.value) == ("optimal", raised_value)


def test_the_enumeration_test_is_not_vacuous() -> None:
    """In a good share of the scenarios above some raise buys more value."""
    gained = 0
    for seed in range(80):
        doc, raise_by = _money_bound(seed)
        value = brute_force(parse_scenario(doc))[0]
        gained += any(
            brute_force(parse_scenario(_raised_doc(doc, f, raise_by)))[0] > value
            for f in range(len(doc["funds"]))
        )
    assert gained >= 20, gained  # 28 of 80


def test_payer_classes() -> None:
    """Funds grouped by the offers they may pay for; F-us may pay for none (no US offer)."""
    scenario = parse_scenario(_example_with_more_funds())
    ids = [f.id for f in scenario.funds]
    named = [
        (sorted(scenario.offers[o].id for o in offers), [ids[f] for f in funds])
        for offers, funds in payer_classes(scenario)
    ]
    assert named == [
        (["O1", "O2", "O3", "O4"], ["F-common"]),
        (["O1", "O2"], ["F-lv-national"]),
        (["O1", "O3"], ["F-no-industry"]),
        (["O2"], ["F-lv-recon"]),
        (["O3", "O4"], ["F-fpv"]),
        ([], ["F-us"]),
    ]
    doc = load(EXAMPLE)
    doc["funds"].append({**doc["funds"][0], "id": "F-common-2", "amount": "5.00"})
    doc["funds"].append({"id": "F-late", "donor": "FR", "amount": "9.00", "origins": ["UA"]})
    doc["offers"][2]["lead_time_days"] = 400  # O3 can deliver nothing in time any more
    classes = payer_classes(parse_scenario(doc))
    assert [funds for _, funds in classes] == [[0, 3], [1], [2, 4]]


def test_raise_fund_changes_one_amount() -> None:
    scenario = parse_scenario(load(EXAMPLE))
    raised = raise_fund(scenario, 1, 12345)
    assert [f.amount_cents for f in raised.funds] == [80000000, 100012345, 70000000]
    assert raised.offers == scenario.offers and raised.requirements == scenario.requirements


def test_progress_events_are_labelled_by_fund() -> None:
    scenario = parse_scenario(load(EXAMPLE))
    plan = solve(scenario)
    events: list[ProgressEvent] = []
    marginal_values(scenario, plan, progress=events.append)
    stages = {event.stage for event in events}
    labels = {f"{fund.id}: {stage}" for fund in scenario.funds for stage in ("value", "cost")}
    assert stages and stages <= labels
    assert {stage.split(": ")[0] for stage in stages} == {f.id for f in scenario.funds}
    first = next(e for e in events if e.stage == "F-common: value")
    assert describe(first).startswith("[F-common: value] value ")


def test_a_re_solve_worse_than_its_start_falls_back_to_the_start() -> None:
    """A time limit may stop a re-solve below the plan it started from, which keeps every
    rule of the raised scenario: the start stands, with the re-solve's bound, unproven."""
    scenario = parse_scenario(load(EXAMPLE))
    start = solution_of(scenario, solve(scenario))
    raised = raise_fund(scenario, 0, 100_000_000)
    worse = Solution({}, {}, {})
    chosen, verdict = _no_worse(raised, worse, Verdict("optimal", Decimal(5300), 0.0), start)
    assert chosen == start
    assert (verdict.status, verdict.bound) == ("feasible", 5300)
    assert verdict.gap == pytest.approx(950 / 5300)
    better = _no_worse(raised, start, Verdict("optimal", Decimal(4350), 0.0), worse)
    assert better == (start, Verdict("optimal", Decimal(4350), 0.0))


def test_a_tiny_time_limit_never_reports_less_than_the_plan() -> None:
    """Whatever the clock allows (CI shares its cores), every row is at least the plan."""
    scenario = parse_scenario(generate(20, 60, 6, budget="tight", seed=1))
    plan = solve(scenario, time_limit=30)
    rows = marginal_values(scenario, plan, time_limit=0.05)
    assert len(rows) == 6
    for row in rows:
        assert row.extra_value >= 0 and row.gap >= 0
        assert row.status in ("optimal", "feasible")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("-1"), "greater than 0"),
        (Decimal("0"), "greater than 0"),
        (Decimal("0.001"), "at most 2 decimals"),
        (Decimal("NaN"), "an amount of money"),
        (Decimal("1E+12"), "at most 999999999999.99"),
    ],
)
def test_a_bad_raise_is_refused(amount: Decimal, message: str) -> None:
    scenario = parse_scenario(load(EXAMPLE))
    with pytest.raises(ValueError, match=message):
        marginal_values(scenario, Solution({}, {}, {}), raise_by=amount)
    with pytest.raises(ValueError, match=message):
        solve(scenario, marginal=amount)


def test_a_plan_breaking_a_rule_is_refused() -> None:
    scenario = parse_scenario(load(EXAMPLE))
    solution = solution_of(scenario, solve(scenario))
    unpaid = Solution(solution.quantities, solution.assignments, {})
    with pytest.raises(ValueError, match=r"breaks the scenario's rules: rule 5 \(payments\)"):
        marginal_values(scenario, unpaid)
    assert marginal_values(scenario, Solution({}, {}, {}))  # buying nothing keeps every rule


def test_a_solution_below_a_first_tier_is_refused() -> None:
    doc = load(EXAMPLE)
    doc["offers"][0]["tiers"] = doc["offers"][0]["tiers"][1:]  # O1 from 100 units only
    scenario: Scenario = parse_scenario(doc)
    with pytest.raises(ValueError, match="below an offer's first tier"):
        marginal_values(scenario, Solution({0: 50}, {(0, 0): 50}, {(0, 0): 52500000}))
