"""The checker rejects every single-rule violation: take valid plans, break one rule (in
the plan or, where that isolates the rule better, in the scenario) and expect that rule."""

import copy
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coalition.optimizer.check import check
from coalition.optimizer.generate import generate
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Plan
from coalition.optimizer.solve import solve

from .helpers import EXAMPLE, load, recompute, tiny_scenario

Doc = dict[str, Any]
Mutation = Callable[[Doc, Doc, int], str | None]  # mutates in place, returns the rule named


@cache
def _solved(source: int) -> tuple[Doc, Doc]:
    if source == -1:
        doc = load(EXAMPLE)
    elif source < -1:
        doc = generate(8, 20, 3, budget="tight", seed=-source)
    else:
        doc = tiny_scenario(source)
    return doc, solve(parse_scenario(doc)).to_json()


def _valid(source: int) -> tuple[Doc, Doc]:
    doc, plan = _solved(source)
    return copy.deepcopy(doc), copy.deepcopy(plan)


def _violations(doc: Doc, plan: Doc) -> list[str]:
    return check(parse_scenario(doc), Plan.from_json(plan))


def _item(items: list[Doc], pick: int) -> Doc:
    if not items:
        assume(False)  # nothing of that kind in this plan to break
    return items[pick % len(items)]


def _offer(doc: Doc, offer_id: str) -> Doc:
    return next(o for o in doc["offers"] if o["id"] == offer_id)


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def _money(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def tier_price_exceeded(doc: Doc, plan: Doc, pick: int) -> str:
    """A unit price a cent above the tier's, charged and paid in full (fund topped up)."""
    order = _item(plan["orders"], pick)
    order["unit_price"] = _money(_cents(order["unit_price"]) + 1)
    order["cost"] = _money(_cents(order["unit_price"]) * order["quantity"])
    payment = next(p for p in plan["payments"] if p["offer"] == order["offer"])
    payment["amount"] = _money(_cents(payment["amount"]) + order["quantity"])
    fund = next(f for f in doc["funds"] if f["id"] == payment["fund"])
    fund["amount"] = _money(_cents(fund["amount"]) + order["quantity"])
    recompute(parse_scenario(doc), plan)
    return "rule 2"


def capacity_broken(doc: Doc, plan: Doc, pick: int) -> str:
    order = _item(plan["orders"], pick)
    _offer(doc, order["offer"])["capacity_per_30_days"] = 0
    return "rule 4"


def lead_time_too_long(doc: Doc, plan: Doc, pick: int) -> str:
    order = _item(plan["orders"], pick)
    _offer(doc, order["offer"])["lead_time_days"] = 3650
    return "rule 4"


def fund_overpaid(doc: Doc, plan: Doc, pick: int) -> str:
    payment = _item(plan["payments"], pick)
    spent = sum(_cents(p["amount"]) for p in plan["payments"] if p["fund"] == payment["fund"])
    next(f for f in doc["funds"] if f["id"] == payment["fund"])["amount"] = _money(spent - 1)
    return "rule 5"


def ineligible_fund(doc: Doc, plan: Doc, pick: int) -> str:
    payment = _item(plan["payments"], pick)
    fund = next(f for f in doc["funds"] if f["id"] == payment["fund"])
    fund["categories"] = ["no-such-category"]
    return "rule 5"


def ineligible_origin(doc: Doc, plan: Doc, pick: int) -> str:
    payment = _item(plan["payments"], pick)
    fund = next(f for f in doc["funds"] if f["id"] == payment["fund"])
    fund["origins"] = ["ZZ"]
    return "rule 5"


def payment_short_by_a_cent(doc: Doc, plan: Doc, pick: int) -> str:
    payment = _item(plan["payments"], pick)
    payment["amount"] = _money(_cents(payment["amount"]) - 1)
    return "rule 5"


def wrong_category(doc: Doc, plan: Doc, pick: int) -> str:
    row = _item(plan["assignments"], pick)
    req = next(r for r in doc["requirements"] if r["id"] == row["requirement"])
    req["category"] = "another-category"
    return "rule 3"


def over_covered(doc: Doc, plan: Doc, pick: int) -> str:
    cover = _item([c for c in plan["coverage"] if c["covered"] >= 2], pick)
    req = next(r for r in doc["requirements"] if r["id"] == cover["requirement"])
    req["quantity"] = cover["quantity"] = cover["covered"] - 1
    return "rule 3"


def not_fully_assigned(doc: Doc, plan: Doc, pick: int) -> str:
    row = _item(plan["assignments"], pick)
    row["quantity"] -= 1
    plan["assignments"] = [a for a in plan["assignments"] if a["quantity"] > 0]
    recompute(parse_scenario(doc), plan)
    return "rule 3"


def below_first_tier(doc: Doc, plan: Doc, pick: int) -> str:
    order = _item(plan["orders"], pick)
    offer = _offer(doc, order["offer"])
    offer["tiers"] = [{"min_quantity": order["quantity"] + 1, "unit_price": order["unit_price"]}]
    return "rule 1"


def over_the_cap(doc: Doc, plan: Doc, pick: int) -> str:
    """The offer's `max_quantity` one below what the plan orders of it."""
    order = _item([o for o in plan["orders"] if o["quantity"] >= 2], pick)
    _offer(doc, order["offer"])["max_quantity"] = order["quantity"] - 1
    return "rule 1"


def two_orders(doc: Doc, plan: Doc, pick: int) -> str:
    order = _item(plan["orders"], pick)
    plan["orders"].append(dict(order))
    return "rule 1"


def value_misstated(doc: Doc, plan: Doc, pick: int) -> str:
    plan["value"] = plan["value"] + 1
    return "consistency"


def cost_misstated(doc: Doc, plan: Doc, pick: int) -> str:
    plan["cost"] = _money(_cents(plan["cost"]) + 1)
    return "consistency"


def unknown_offer(doc: Doc, plan: Doc, pick: int) -> str:
    _item(plan["orders"], pick)["offer"] = "no-such-offer"
    return "consistency"


def coverage_misstated(doc: Doc, plan: Doc, pick: int) -> str:
    _item(plan["coverage"], pick)["covered"] += 1
    return "consistency"


MUTATIONS: list[Mutation] = [
    tier_price_exceeded,
    capacity_broken,
    lead_time_too_long,
    fund_overpaid,
    ineligible_fund,
    ineligible_origin,
    payment_short_by_a_cent,
    wrong_category,
    over_covered,
    not_fully_assigned,
    below_first_tier,
    over_the_cap,
    two_orders,
    value_misstated,
    cost_misstated,
    unknown_offer,
    coverage_misstated,
]
# Mutations that break their rule and nothing else: every violation must name it.
ISOLATED = {
    tier_price_exceeded, capacity_broken, lead_time_too_long, fund_overpaid, ineligible_fund,
    ineligible_origin, payment_short_by_a_cent, wrong_category, over_covered,
    not_fully_assigned, below_first_tier, over_the_cap, two_orders, value_misstated,
    cost_misstated, coverage_misstated,
}  # fmt: skip
SOURCES = st.one_of(st.sampled_from([-1, -2, -3, -4]), st.integers(0, 299))


@pytest.mark.parametrize("source", [-1, -2, -3, -4, *range(20)])
def test_valid_plans_pass(source: int) -> None:
    doc, plan = _valid(source)
    assert _violations(doc, plan) == []


@settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(source=SOURCES, mutation=st.sampled_from(MUTATIONS), pick=st.integers(0, 10_000))
def test_checker_names_the_broken_rule(source: int, mutation: Mutation, pick: int) -> None:
    doc, plan = _valid(source)
    assume(plan["orders"])
    rule = mutation(doc, plan, pick)
    violations = _violations(doc, plan)
    assert any(v.startswith(rule) for v in violations), (mutation.__name__, violations)
    if mutation in ISOLATED:
        assert all(v.startswith(rule) for v in violations), (mutation.__name__, violations)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_each_mutation_on_the_worked_example(mutation: Mutation) -> None:
    doc, plan = _valid(-1)
    rule = mutation(doc, plan, 0)
    violations = _violations(doc, plan)
    assert violations and any(v.startswith(rule) for v in violations), violations


def test_messages_name_the_rule_and_ids() -> None:
    doc, plan = _valid(-1)
    payment_short_by_a_cent(doc, plan, 0)
    capacity_broken(doc, plan, 0)
    violations = _violations(doc, plan)
    assert "rule 5 (payments): order of offer O1 costs 1417500.00 but is paid 1417499.99" in (
        violations
    )
    assert (
        "rule 4 (delivery in time): offer O1: 135 units due by 2025-09-30, but it can deliver "
        "only 0 by then" in violations
    )
