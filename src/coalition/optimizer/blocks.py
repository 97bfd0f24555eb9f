"""Building blocks shared by the pooled and the separate models.

- `offer_scopes`: which requirements each offer can serve in time, which funds may pay for
  it, and how many units it can usefully sell (within its `max_quantity`); these become
  tight variable bounds, and in the separate model the row capping the offer's units.
- `value_weights`: the value objective, scaled to integers where the weights allow it, so
  "value at least the optimum" can be stated exactly in the cost stage.
- `add_assignments`: units of offers assigned to requirements, with the delivery rule.
- `add_tiers`: all-units tier pricing of one order, as a convex-hull disjunction.
"""

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from coalition.optimizer.builder import ModelBuilder
from coalition.optimizer.scenario import Offer, Scenario

MAX_WEIGHT_DECIMALS = 6
MAX_EXACT_OBJECTIVE = 2**50  # integers up to here are exact in a double, with room to spare


@dataclass(frozen=True)
class OfferScope:
    """What one offer can contribute; offers that can contribute nothing get no scope."""

    index: int
    requirements: tuple[int, ...]  # requirement indices it can deliver to in time
    days: tuple[int, ...]  # needed-by day of each of those requirements
    cap: int  # most units it can sell that requirements can take in time, within its max
    funds: tuple[int, ...]  # funds that may pay for it


def offer_scopes(scenario: Scenario) -> list[OfferScope]:
    scopes = []
    for index, offer in enumerate(scenario.offers):
        funds = tuple(f for f, fund in enumerate(scenario.funds) if fund.may_pay(offer))
        reqs = sorted(
            (scenario.day(r.needed_by), i)
            for i, r in enumerate(scenario.requirements)
            if r.category == offer.category and offer.deliverable(scenario.day(r.needed_by)) > 0
        )
        if not funds or not reqs:
            continue
        cap = _assignable(offer, [(day, scenario.requirements[i].quantity) for day, i in reqs])
        if offer.max_quantity is not None:  # rule 1's cap, on all orders of the offer at once
            cap = min(cap, offer.max_quantity)
        if cap > 0:
            scopes.append(
                OfferScope(index, tuple(i for _, i in reqs), tuple(d for d, _ in reqs), cap, funds)
            )
    return scopes


def _assignable(offer: Offer, demand_by_day: list[tuple[int, int]]) -> int:
    """Most units this offer alone could assign, date by date (the delivery rule is nested)."""
    total = 0
    for day, quantity in demand_by_day:  # sorted by day
        total = min(total + quantity, offer.deliverable(day))
    return total


@dataclass(frozen=True)
class ValueWeights:
    coefs: tuple[float, ...]  # objective coefficient of one unit covered, per requirement
    scale: int  # coefs = weight * scale; the objective is integral iff `exact`
    exact: bool
    ceiling: float  # scaled value of covering every requirement in full


def _ceiling(coefs: tuple[float, ...], scenario: Scenario) -> float:
    return sum(c * r.quantity for c, r in zip(coefs, scenario.requirements, strict=True))


def value_weights(scenario: Scenario) -> ValueWeights:
    """Scale decimal weights by 10**k to integers so that the value objective is integral.

    With an integral objective, "value >= best" is exact (>= best - 0.5) and the solver can
    stop at an absolute gap below 1. Falls back to plain floats when that would need too
    many decimals or overflow a double's exact integers.
    """
    weights = [r.weight for r in scenario.requirements]
    decimals = max((max(0, -int(w.normalize().as_tuple().exponent)) for w in weights), default=0)
    if decimals <= MAX_WEIGHT_DECIMALS:  # never 10**decimals of a weight with a million digits
        scale = 10**decimals
        top = sum(
            (w * scale * r.quantity for w, r in zip(weights, scenario.requirements, strict=True)),
            Decimal(0),
        )
        if top <= MAX_EXACT_OBJECTIVE:
            coefs = tuple(float(int(w * scale)) for w in weights)
            return ValueWeights(coefs, scale, True, _ceiling(coefs, scenario))
    coefs = tuple(float(w) for w in weights)
    return ValueWeights(coefs, 1, False, _ceiling(coefs, scenario))


@dataclass(frozen=True)
class AssignmentVars:
    """Columns of the assignment block: units per (offer, requirement) and per requirement
    the units covered. The value objective sits on the few coverage columns rather than
    on the many assignment columns: one short row for "value >= best" instead of a dense
    one keeps HiGHS's cut separation fast."""

    x: dict[tuple[int, int], int]  # (offer index, requirement index) -> column
    cover: dict[int, int]  # requirement index -> column

    def value_objective(self, weights: ValueWeights) -> dict[int, float]:
        return {col: weights.coefs[r] for r, col in self.cover.items()}

    def read(self, values: list[float]) -> dict[tuple[int, int], int]:
        units = {key: round(values[col]) for key, col in self.x.items()}
        return {key: u for key, u in units.items() if u}

    def write(self, values: list[float], assignments: dict[tuple[int, int], int]) -> bool:
        """Put an integral assignment into `values`; False if it uses a missing column."""
        if any(key not in self.x for key in assignments):
            return False
        for col in self.x.values():
            values[col] = 0.0
        for col in self.cover.values():
            values[col] = 0.0
        for (o, r), units in assignments.items():
            values[self.x[o, r]] = float(units)
            values[self.cover[r]] += float(units)
        return True


def add_assignments(
    b: ModelBuilder, scenario: Scenario, scopes: list[OfferScope], integer: bool = False
) -> AssignmentVars:
    """Units of each offer assigned to each requirement it can serve in time, with the
    delivery rule (rule 4) and "a requirement receives at most its quantity" (rule 3).

    Continuous by default, and that is exact: per offer the delivery rows form a chain of
    nested sets, the coverage rows partition the columns by requirement, and the union of
    two laminar families is totally unimodular. So for integer order quantities the best
    assignment can always be integral; `assign.integral_assignments` computes one. Tens of
    thousands of integer columns fewer make presolve, cuts and branching much faster.
    Rows that the variable bounds already imply are left out: they only slow the LP.
    """
    x: dict[tuple[int, int], int] = {}
    per_requirement: dict[int, list[int]] = {}
    for scope in scopes:
        offer = scenario.offers[scope.index]
        for r, day in zip(scope.requirements, scope.days, strict=True):
            bound = min(scenario.requirements[r].quantity, offer.deliverable(day), scope.cap)
            x[scope.index, r] = b.var(0, bound, integer=integer)
            per_requirement.setdefault(r, []).append(x[scope.index, r])
        _add_delivery_rows(b, offer, scope, x)
        cols = [x[scope.index, r] for r in scope.requirements]
        if sum(b.upper[c] for c in cols) > scope.cap:
            # Implied by the tier bounds in the pooled model, not in the separate one, where
            # several funds order from the same offer.
            b.row(dict.fromkeys(cols, 1.0), upper=scope.cap)
    cover = {}
    for r, cols in sorted(per_requirement.items()):
        reach = min(scenario.requirements[r].quantity, sum(b.upper[c] for c in cols))
        cover[r] = b.var(0, reach)
        b.row({cover[r]: 1.0, **dict.fromkeys(cols, -1.0)}, lower=0, upper=0)
    return AssignmentVars(x, cover)


def _add_delivery_rows(
    b: ModelBuilder, offer: Offer, scope: OfferScope, x: dict[tuple[int, int], int]
) -> None:
    """Per distinct needed-by day d: units for requirements due by d <= deliverable by d."""
    cols: list[int] = []
    reachable = 0  # most the columns so far could hold, from their bounds
    items = list(zip(scope.requirements, scope.days, strict=True))
    for k, (r, day) in enumerate(items):
        cols.append(x[scope.index, r])
        reachable += int(b.upper[cols[-1]])
        if k + 1 < len(items) and items[k + 1][1] == day:
            continue  # the row for this day comes with its last requirement
        limit = offer.deliverable(day)
        if limit < min(reachable, scope.cap):
            b.row(dict.fromkeys(cols, 1.0), upper=limit)


@dataclass(frozen=True)
class TierVars:
    """One order's tier variables: per usable tier (index, quantity column, binary or None)."""

    parts: tuple[tuple[int, int, int | None], ...]

    def quantity_terms(self) -> dict[int, float]:
        return {q: 1.0 for _, q, _ in self.parts}

    def cost_terms(self, offer: Offer) -> dict[int, float]:
        return {q: float(offer.tiers[t].price_cents) for t, q, _ in self.parts}

    def start(self, offer: Offer, quantity: int, values: list[float]) -> bool:
        """Write an order of `quantity` into `values`; False if these variables cannot hold it."""
        for _, q, y in self.parts:
            values[q] = 0.0
            if y is not None:
                values[y] = 0.0
        if quantity == 0:
            return True
        tier = offer.tier_for(quantity)
        for t, q, y in self.parts:
            if tier is offer.tiers[t]:
                values[q] = float(quantity)
                if y is not None:
                    values[y] = 1.0
                return True
        return False


def add_tiers(b: ModelBuilder, offer: Offer, cap: int, budget_cents: int) -> TierVars | None:
    """All-units pricing of one order of at most `cap` units costing at most `budget_cents`.

    Per tier t a quantity q_t in [min_t * y_t, hi_t * y_t] with y_t binary, at most one y_t
    set; cost = sum price_t * q_t. That is the convex hull of each tier's piece, the
    strongest LP relaxation for one order. hi_t is as tight as known: the next tier's
    minimum less one, the cap, and what the money could ever pay at this tier's price;
    tiers that cannot be reached get no variables. A first tier starting at 1 needs no
    binary: its quantity is pushed to 0 when another tier is chosen.
    """
    usable = []
    for t, tier in enumerate(offer.tiers):
        hi = offer.tiers[t + 1].min_quantity - 1 if t + 1 < len(offer.tiers) else cap
        hi = min(hi, cap)
        if tier.price_cents > 0:
            hi = min(hi, budget_cents // tier.price_cents)
        if hi >= tier.min_quantity:
            usable.append((t, tier.min_quantity, hi))
    if not usable:
        return None
    parts: list[tuple[int, int, int | None]] = []
    for t, low, hi in usable:
        q = b.var(0, hi, integer=True)
        if not parts and low == 1:
            parts.append((t, q, None))
            continue
        y = b.var(0, 1, integer=True)
        b.row({q: 1.0, y: -float(low)}, lower=0)
        b.row({q: 1.0, y: -float(hi)}, upper=0)
        parts.append((t, q, y))
    binaries = [y for _, _, y in parts if y is not None]
    _, free_q, free_y = parts[0]
    if free_y is None and binaries:
        hi_free = b.upper[free_q]
        b.row({free_q: 1.0, **dict.fromkeys(binaries, hi_free)}, upper=hi_free)
    elif len(binaries) > 1:
        b.row(dict.fromkeys(binaries, 1.0), upper=1)
    return TierVars(tuple(parts))


def identical_groups(scenario: Scenario, scopes: list[OfferScope]) -> list[list[int]]:
    """Offers that are interchangeable in every respect the model sees (symmetry)."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for scope in scopes:
        o = scenario.offers[scope.index]
        key = (o.category, o.origin, o.lead_time_days, o.capacity_per_30_days, o.tiers)
        groups.setdefault(key, []).append(scope.index)
    return [g for g in groups.values() if len(g) > 1]


def symmetry_rows(
    b: ModelBuilder, groups: list[list[int]], qty: dict[int, dict[int, float]]
) -> None:
    """Order identical offers by quantity, so the search does not revisit permutations."""
    for group in groups:
        for first, second in pairwise(group):
            terms = dict(qty[first])
            for col, coef in qty[second].items():
                terms[col] = terms.get(col, 0.0) - coef
            b.row(terms, lower=0)
