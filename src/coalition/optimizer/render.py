"""Turn solutions (integer decisions by index) into `Plan`s: exact money, only non-zero
orders, assignments and payments, coverage for every requirement; and a plan back into
its solution (`solution_of`), to start another solve from it."""

from dataclasses import dataclass
from decimal import Decimal

from coalition.optimizer.money import cents_to_decimal
from coalition.optimizer.plan import (
    Assignment,
    Coverage,
    Marginal,
    Order,
    Payment,
    Plan,
    Separate,
    SolverInfo,
    Status,
)
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


@dataclass(frozen=True)
class Verdict:
    """What the solver can say about a solution: proven optimal or not, and how far off."""

    status: Status
    bound: Decimal | None = None
    gap: float | None = None
    cost_gap: float | None = None  # relative, of the cost stage; None when not proven


def exact_value(scenario: Scenario, assignments: dict[tuple[int, int], int]) -> Decimal:
    return sum(
        (scenario.requirements[r].weight * units for (_, r), units in assignments.items()),
        Decimal(0),
    )


def render_order(scenario: Scenario, o: int, quantity: int, fund: int | None = None) -> Order:
    offer = scenario.offers[o]
    tier = offer.tier_for(quantity)
    assert tier is not None, "orders below the first tier never reach rendering"
    return Order(
        offer=offer.id,
        quantity=quantity,
        unit_price=cents_to_decimal(tier.price_cents),
        cost=cents_to_decimal(tier.price_cents * quantity),
        fund=None if fund is None else scenario.funds[fund].id,
    )


def render_plan(
    scenario: Scenario,
    solution: Solution,
    verdict: Verdict,
    solver: SolverInfo | None = None,
    separate: Separate | None = None,
    marginal: tuple[Marginal, ...] | None = None,
) -> Plan:
    covered = {r: 0 for r in range(len(scenario.requirements))}
    for (_, r), units in solution.assignments.items():
        covered[r] += units
    return Plan(
        scenario=scenario.name or None,
        status=verdict.status,
        value=solution.value(scenario),
        bound=verdict.bound,
        gap=verdict.gap,
        cost=cents_to_decimal(solution.cost_cents(scenario)),
        currency=scenario.currency,
        solver=solver,
        orders=tuple(
            render_order(scenario, o, q) for o, q in sorted(solution.quantities.items()) if q > 0
        ),
        assignments=tuple(
            Assignment(scenario.offers[o].id, scenario.requirements[r].id, units)
            for (o, r), units in sorted(solution.assignments.items())
            if units > 0
        ),
        payments=tuple(
            Payment(scenario.funds[f].id, scenario.offers[o].id, cents_to_decimal(cents))
            for (f, o), cents in sorted(solution.payments.items())
            if cents > 0
        ),
        coverage=tuple(
            Coverage(req.id, covered[r], req.quantity)
            for r, req in enumerate(scenario.requirements)
        ),
        separate=separate,
        marginal=marginal,
    )


def solution_of(scenario: Scenario, plan: Plan) -> Solution:
    """The integer decisions of `plan`, by index into `scenario`. The plan must name only
    the scenario's offers, requirements and funds (`check.check` says so): KeyError if not."""
    offers = {o.id: i for i, o in enumerate(scenario.offers)}
    reqs = {r.id: i for i, r in enumerate(scenario.requirements)}
    funds = {f.id: i for i, f in enumerate(scenario.funds)}
    assignments: dict[tuple[int, int], int] = {}
    for row in plan.assignments:
        key = offers[row.offer], reqs[row.requirement]
        assignments[key] = assignments.get(key, 0) + row.quantity
    payments: dict[tuple[int, int], int] = {}
    for pay in plan.payments:
        key = funds[pay.fund], offers[pay.offer]
        payments[key] = payments.get(key, 0) + int(pay.amount.scaleb(2))  # exact: 2 decimals
    return Solution(
        {offers[order.offer]: order.quantity for order in plan.orders}, assignments, payments
    )
