"""Render solutions as plan documents (spec/plan.schema.json): exact money strings,
only non-zero orders, assignments and payments, coverage for every requirement."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coalition.optimizer.money import format_cents
from coalition.optimizer.scenario import Scenario


@dataclass(frozen=True)
class Solution:
    """Integer decisions of a plan, by indices into the scenario."""

    quantities: dict[int, int]  # offer -> units ordered
    assignments: dict[tuple[int, int], int]  # (offer, requirement) -> units
    payments: dict[tuple[int, int], int]  # (fund, offer) -> cents

    def cost_cents(self, scenario: Scenario) -> int:
        return sum(scenario.offers[o].cost_cents(q) for o, q in self.quantities.items())

    def value(self, scenario: Scenario) -> Decimal:
        return exact_value(scenario, self.assignments)


def exact_value(scenario: Scenario, assignments: dict[tuple[int, int], int]) -> Decimal:
    return sum(
        (scenario.requirements[r].weight * units for (_, r), units in assignments.items()),
        Decimal(0),
    )


def json_number(value: Decimal | float) -> int | float:
    """An integral value as a JSON integer (4350, not 4350.0), else a float."""
    number = Decimal(value) if isinstance(value, float) else value
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def render_order(
    scenario: Scenario, o: int, quantity: int, fund: int | None = None
) -> dict[str, Any]:
    offer = scenario.offers[o]
    tier = offer.tier_for(quantity)
    assert tier is not None, "orders below the first tier never reach rendering"
    order: dict[str, Any] = {"offer": offer.id}
    if fund is not None:
        order["fund"] = scenario.funds[fund].id
    order.update(
        quantity=quantity,
        unit_price=format_cents(tier.price_cents),
        cost=format_cents(tier.price_cents * quantity),
    )
    return order


def render_plan(scenario: Scenario, solution: Solution, head: dict[str, Any]) -> dict[str, Any]:
    """The plan document; `head` holds status, bound, gap and solver, placed after `scenario`."""
    covered = {r: 0 for r in range(len(scenario.requirements))}
    for (_, r), units in solution.assignments.items():
        covered[r] += units
    plan: dict[str, Any] = {}
    if scenario.name:
        plan["scenario"] = scenario.name
    plan.update(head)
    plan["value"] = json_number(solution.value(scenario))
    plan["cost"] = format_cents(solution.cost_cents(scenario))
    plan["currency"] = scenario.currency
    plan["orders"] = [
        render_order(scenario, o, q) for o, q in sorted(solution.quantities.items()) if q > 0
    ]
    plan["assignments"] = [
        {
            "offer": scenario.offers[o].id,
            "requirement": scenario.requirements[r].id,
            "quantity": units,
        }
        for (o, r), units in sorted(solution.assignments.items())
        if units > 0
    ]
    plan["payments"] = [
        {
            "fund": scenario.funds[f].id,
            "offer": scenario.offers[o].id,
            "amount": format_cents(cents),
        }
        for (f, o), cents in sorted(solution.payments.items())
        if cents > 0
    ]
    plan["coverage"] = [
        {"requirement": req.id, "covered": covered[r], "quantity": req.quantity}
        for r, req in enumerate(scenario.requirements)
    ]
    return plan


def ordered_head(plan: dict[str, Any]) -> dict[str, Any]:
    """Keys in the order people read them: what, how good, how much, then the details."""
    order = ["scenario", "status", "value", "bound", "gap", "cost", "currency", "solver"]
    head = {k: plan[k] for k in order if k in plan}
    return {**head, **{k: v for k, v in plan.items() if k not in head}}
