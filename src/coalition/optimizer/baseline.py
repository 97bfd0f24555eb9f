"""The spreadsheet baseline: greedy by weight per euro, as a careful person would do it.

Take (requirement, offer) pairs best weight-per-euro first (the offer's cheapest tier
price); buy as many units as the requirement still needs, the offer can deliver in time
(and may still receive under its `max_quantity`) and the eligible funds can pay at the
tier price of the resulting order; pay from the most restricted eligible funds first. The
result keeps every rule of docs/spec/SCENARIO.md. Used for comparison ("the optimiser
covers N% more") and as the solver's warm start.

With `separate=True` each fund buys on its own (an order per fund and offer, paid by that
fund alone, priced on its own quantity): the warm start of the separate model.
"""

from dataclasses import dataclass, field

from coalition.optimizer.limits import MAX_COUNT
from coalition.optimizer.plan import Plan, SolverInfo
from coalition.optimizer.render import Solution, Verdict, render_plan
from coalition.optimizer.scenario import Offer, Scenario


@dataclass
class GreedyState:
    scenario: Scenario
    need: list[int]
    fund_left: list[int]
    # offer -> needed-by day -> units assigned to requirements due that day
    by_day: dict[int, dict[int, int]] = field(default_factory=dict)
    orders: dict[tuple[int, int | None], int] = field(default_factory=dict)  # (offer, fund)
    paid: dict[tuple[int, int | None], dict[int, int]] = field(default_factory=dict)
    assignments: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass(frozen=True)
class GreedyResult:
    solution: Solution
    separate_orders: dict[tuple[int, int], int]  # (offer, fund) -> units; separate mode only


def greedy(scenario: Scenario, separate: bool = False) -> GreedyResult:
    state = GreedyState(
        scenario,
        need=[r.quantity for r in scenario.requirements],
        fund_left=[f.amount_cents for f in scenario.funds],
    )
    payers = _payers_by_offer(scenario)
    for o, r in _pairs(scenario):
        if not payers[o] or state.need[r] == 0:
            continue
        slots: list[tuple[int, int | None]] = (
            [(o, f) for f in payers[o]] if separate else [(o, None)]
        )
        for slot in slots:
            room = min(state.need[r], _delivery_slack(state, o, r), _cap_left(state, o))
            if room <= 0:
                break
            funds = [slot[1]] if slot[1] is not None else payers[o]
            units = _affordable_units(state, slot, funds, room)
            if units > 0:
                _buy(state, slot, funds, r, units)
    return _result(state, separate)


def baseline_plan(scenario: Scenario) -> Plan:
    """The baseline as a plan (status `feasible`: nobody proved anything)."""
    solution = greedy(scenario).solution
    return render_plan(scenario, solution, Verdict("feasible"), SolverInfo(name="greedy"))


def _payers_by_offer(scenario: Scenario) -> list[list[int]]:
    """Eligible funds per offer, most restricted first: keep flexible money for later."""
    reach = [sum(fund.may_pay(o) for o in scenario.offers) for fund in scenario.funds]
    return [
        sorted(
            (f for f, fund in enumerate(scenario.funds) if fund.may_pay(offer)),
            key=lambda f: (reach[f], f),
        )
        for offer in scenario.offers
    ]


def _pairs(scenario: Scenario) -> list[tuple[int, int]]:
    """Same-category (offer, requirement) pairs, best weight per euro first."""
    pairs = []
    for o, offer in enumerate(scenario.offers):
        if not offer.tiers:
            continue
        cheapest = min(t.price_cents for t in offer.tiers)
        for r, req in enumerate(scenario.requirements):
            if req.category == offer.category:
                # weight per cent, as a sortable key without division by zero
                key = (
                    -(req.weight / cheapest) if cheapest else -req.weight * 10**12,
                    req.needed_by,
                    o,
                    r,
                )
                pairs.append((key, o, r))
    return [(o, r) for _, o, r in sorted(pairs)]


def _delivery_slack(state: GreedyState, o: int, r: int) -> int:
    """Units more offer `o` can deliver to requirement `r` without breaking rule 4 at
    `r`'s date or any later date (those sums include `r` too)."""
    scenario = state.scenario
    offer = scenario.offers[o]
    day = scenario.day(scenario.requirements[r].needed_by)
    assigned = state.by_day.get(o, {})
    days = sorted({day, *assigned})
    slack = None
    running = 0
    for d in days:
        running += assigned.get(d, 0)
        if d >= day:
            room = offer.deliverable(d) - running
            slack = room if slack is None else min(slack, room)
    return max(0, slack or 0)


def _cap_left(state: GreedyState, o: int) -> int:
    """Units offer `o` may still receive under its `max_quantity` (rule 1), over every
    fund's order of it in separate buying."""
    cap = state.scenario.offers[o].max_quantity
    if cap is None:  # no cap: the requirement and the delivery rule decide
        return MAX_COUNT
    return cap - sum(q for (p, _), q in state.orders.items() if p == o)


def _affordable_units(
    state: GreedyState, slot: tuple[int, int | None], funds: list[int], room: int
) -> int:
    """Most extra units (<= room) such that the whole order, repriced at its new tier,
    can still be paid: all-units pricing means the price of every unit may change."""
    offer = state.scenario.offers[slot[0]]
    current = state.orders.get(slot, 0)
    paid = sum(state.paid.get(slot, {}).values())
    money = paid + sum(state.fund_left[f] for f in funds)
    best = 0
    for t, tier in enumerate(offer.tiers):
        top = offer.tiers[t + 1].min_quantity - 1 if t + 1 < len(offer.tiers) else current + room
        top = min(top, current + room)
        if tier.price_cents:
            top = min(top, money // tier.price_cents)
        if top >= max(tier.min_quantity, current + 1):
            best = max(best, top)
    return best - current if best else 0


def _buy(
    state: GreedyState, slot: tuple[int, int | None], funds: list[int], r: int, units: int
) -> None:
    o = slot[0]
    offer: Offer = state.scenario.offers[o]
    quantity = state.orders.get(slot, 0) + units
    state.orders[slot] = quantity
    paid = state.paid.setdefault(slot, {})
    delta = offer.cost_cents(quantity) - sum(paid.values())
    for f in funds if delta > 0 else reversed(list(paid)):
        if delta == 0:
            break
        # Pay the increase from the first funds with money; refund a price drop to the
        # last payers.
        step = min(delta, state.fund_left[f]) if delta > 0 else max(delta, -paid.get(f, 0))
        paid[f] = paid.get(f, 0) + step
        state.fund_left[f] -= step
        delta -= step
    assert delta == 0, "the affordability check guarantees the order can be paid"
    state.need[r] -= units
    day = state.scenario.day(state.scenario.requirements[r].needed_by)
    state.by_day.setdefault(o, {})[day] = state.by_day.get(o, {}).get(day, 0) + units
    state.assignments[o, r] = state.assignments.get((o, r), 0) + units


def _result(state: GreedyState, separate: bool) -> GreedyResult:
    quantities: dict[int, int] = {}
    payments: dict[tuple[int, int], int] = {}
    for (o, fund), quantity in state.orders.items():
        quantities[o] = quantities.get(o, 0) + quantity
        for f, cents in state.paid[o, fund].items():
            if cents:
                payments[f, o] = payments.get((f, o), 0) + cents
    separate_orders = {(o, f): q for (o, f), q in state.orders.items() if f is not None and q}
    solution = Solution(quantities, dict(state.assignments), payments)
    return GreedyResult(solution, separate_orders if separate else {})
