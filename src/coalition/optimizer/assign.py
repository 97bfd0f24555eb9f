"""Integral assignments for fixed order quantities.

The models keep assignments continuous (see `blocks.add_assignments`); for integer order
quantities the assignment polytope is integral, so a simplex vertex of "maximise value
subject to the orders being fully assigned" is integral and at least as valuable as
whatever the MILP had. Rounded and then verified exactly in integers before it is used.
"""

from collections import defaultdict

import highspy

from coalition.optimizer.blocks import OfferScope, add_assignments, offer_scopes, value_weights
from coalition.optimizer.builder import ModelBuilder
from coalition.optimizer.scenario import Scenario

Assignments = dict[tuple[int, int], int]


def integral_assignments(scenario: Scenario, quantities: dict[int, int]) -> Assignments | None:
    """Most valuable integer assignment of exactly `quantities` (offer -> units), or None
    if none keeps rules 3 and 4 (which would mean the quantities were wrong)."""
    scopes = [
        OfferScope(s.index, s.requirements, s.days, quantities[s.index], s.funds)
        for s in offer_scopes(scenario)
        if quantities.get(s.index, 0) > 0
    ]
    if len(scopes) != sum(1 for q in quantities.values() if q > 0):
        return None  # an order from an offer that cannot deliver anything in time
    if not scopes:
        return {}
    b = ModelBuilder()
    block = add_assignments(b, scenario, scopes)
    for scope in scopes:
        cols = [block.x[scope.index, r] for r in scope.requirements]
        b.row(dict.fromkeys(cols, 1.0), lower=scope.cap, upper=scope.cap)
    highs = b.to_highs(block.value_objective(value_weights(scenario)), maximize=True)
    highs.setOptionValue("solver", "simplex")  # a vertex, hence integral
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    result = block.read(list(highs.getSolution().col_value))
    return result if keeps_rules(scenario, quantities, result) else None


def keeps_rules(scenario: Scenario, quantities: dict[int, int], assignments: Assignments) -> bool:
    """Rules 3 and 4 in exact integers: each order fully assigned to requirements of its
    category, no requirement over-covered, every delivery in time."""
    per_offer: dict[int, int] = defaultdict(int)
    per_req: dict[int, int] = defaultdict(int)
    by_day: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (o, r), units in assignments.items():
        req = scenario.requirements[r]
        if units < 0 or req.category != scenario.offers[o].category:
            return False
        per_offer[o] += units
        per_req[r] += units
        by_day[o][scenario.day(req.needed_by)] += units
    if any(per_offer[o] != q for o, q in quantities.items()) or set(per_offer) - set(quantities):
        return False
    if any(units > scenario.requirements[r].quantity for r, units in per_req.items()):
        return False
    for o, days in by_day.items():
        running = 0
        for day in sorted(days):
            running += days[day]
            if running > scenario.offers[o].deliverable(day):
                return False
    return True
