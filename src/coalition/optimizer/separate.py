"""`--compare-separate`: what the same funds reach when each buys on its own.

docs/spec/SCENARIO.md: an order belongs to one fund, is priced by the tiers on its own
quantity and is paid by that fund alone; suppliers' capacities and the delivery rule are
shared by all orders. So the model has tier variables per (offer, fund) instead of per offer, each
fund's orders cost at most its amount, and the assignment block is the pooled one.
Solved like the pooled model: value first, then cost.
"""

from dataclasses import dataclass
from decimal import Decimal

from coalition.optimizer.assign import integral_assignments
from coalition.optimizer.baseline import greedy
from coalition.optimizer.blocks import (
    AssignmentVars,
    TierVars,
    ValueWeights,
    add_assignments,
    add_tiers,
    identical_groups,
    offer_scopes,
    symmetry_rows,
    value_weights,
)
from coalition.optimizer.builder import ModelBuilder, Progress
from coalition.optimizer.money import cents_to_decimal
from coalition.optimizer.plan import Coverage, Separate, Status
from coalition.optimizer.render import exact_value, render_order
from coalition.optimizer.scenario import Scenario
from coalition.optimizer.stages import COST_GAP, VALUE_GAP, Deadline, StageInput, two_stage

Orders = dict[tuple[int, int], int]  # (offer, fund) -> units


@dataclass
class SeparateModel:
    builder: ModelBuilder
    weights: ValueWeights
    x: AssignmentVars
    tiers: dict[tuple[int, int], TierVars]  # (offer, fund)


def build_separate(scenario: Scenario) -> SeparateModel:
    b = ModelBuilder()
    tiers: dict[tuple[int, int], TierVars] = {}
    scopes = []
    for scope in offer_scopes(scenario):
        offer = scenario.offers[scope.index]
        for f in scope.funds:
            tv = add_tiers(b, offer, scope.cap, scenario.funds[f].amount_cents)
            if tv is not None:
                tiers[scope.index, f] = tv
        if any((scope.index, f) in tiers for f in scope.funds):
            scopes.append(scope)
    x = add_assignments(b, scenario, scopes)
    qty: dict[int, dict[int, float]] = {s.index: {} for s in scopes}
    for (o, _), tv in tiers.items():
        qty[o].update(tv.quantity_terms())
    for scope in scopes:
        terms = dict(qty[scope.index])
        terms.update({x.x[scope.index, r]: -1.0 for r in scope.requirements})
        b.row(terms, lower=0, upper=0)  # every unit ordered, by any fund, is assigned
    for f, fund in enumerate(scenario.funds):
        cost: dict[int, float] = {}
        for (o, g), tv in tiers.items():
            if g == f:
                cost.update(tv.cost_terms(scenario.offers[o]))
        if sum(b.upper[c] * v for c, v in cost.items()) > fund.amount_cents:
            b.row(cost, upper=float(fund.amount_cents))
    symmetry_rows(b, identical_groups(scenario, scopes), qty)
    return SeparateModel(b, value_weights(scenario), x, tiers)


def solve_separate(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    progress: Progress | None = None,
    deadline: Deadline | None = None,
    cost_gap: float = COST_GAP,
) -> Separate:
    """Separate buying's value, cost and orders (one per offer and fund), with status,
    bound and gap as in the plan."""
    deadline = deadline or Deadline(time_limit)
    model = build_separate(scenario)
    start_result = greedy(scenario, separate=True)
    fallback = (start_result.separate_orders, start_result.solution.assignments)
    if model.builder.num_cols == 0:
        return _render(scenario, {}, {}, Decimal(0), "optimal")
    spec = StageInput(
        model.builder,
        _value_objective(model),
        _cost_objective(model, scenario),
        model.weights,
        lambda values: _decode(scenario, model, values),
        model.weights.ceiling,
        list(model.x.cover.values()),
        label="separate ",
        cost_gap=cost_gap,
    )
    start = _start(model, scenario, *fallback)
    outcome = two_stage(spec, start, deadline, progress)
    bound = Decimal(str(outcome.value_bound)) / model.weights.scale
    for values in (outcome.cost_values, outcome.values):
        if values is None:
            continue
        orders, assignments = _read(model, values)
        if _within_funds(scenario, orders):
            value = exact_value(scenario, assignments)
            proven = values is outcome.cost_values and outcome.cost_bound is not None
            cost = _cost(scenario, orders)
            cost_ok = proven and (
                cost == 0 or (cost - (outcome.cost_bound or 0)) / cost <= COST_GAP
            )
            gap = float((bound - value) / bound) if bound > value else 0.0
            status: Status = "optimal" if gap <= VALUE_GAP and cost_ok else "feasible"
            return _render(scenario, orders, assignments, max(bound, value), status)
    orders, assignments = fallback
    return _render(scenario, orders, assignments, bound, "feasible")


def _decode(
    scenario: Scenario, model: SeparateModel, values: list[float]
) -> tuple[float, list[float]] | None:
    """Exact value and columns with an integral assignment (see `stages.Decoder`)."""
    orders, _ = _read(model, values)
    quantities: dict[int, int] = {}
    for (o, _), units in orders.items():
        quantities[o] = quantities.get(o, 0) + units
    assignments = integral_assignments(scenario, quantities)
    if assignments is None:
        return None
    clean = list(values)
    model.x.write(clean, assignments)
    return sum(model.weights.coefs[r] * u for (_, r), u in assignments.items()), clean


def _value_objective(model: SeparateModel) -> dict[int, float]:
    return model.x.value_objective(model.weights)


def _cost_objective(model: SeparateModel, scenario: Scenario) -> dict[int, float]:
    terms: dict[int, float] = {}
    for (o, _), tv in model.tiers.items():
        terms.update(tv.cost_terms(scenario.offers[o]))
    return terms


def _start(
    model: SeparateModel,
    scenario: Scenario,
    orders: Orders,
    assignments: dict[tuple[int, int], int],
) -> list[float]:
    values = [0.0] * model.builder.num_cols
    for (o, f), tv in model.tiers.items():
        if not tv.start(scenario.offers[o], orders.get((o, f), 0), values):
            return [0.0] * model.builder.num_cols
    if not model.x.write(values, assignments):
        return [0.0] * model.builder.num_cols
    return values


def _read(model: SeparateModel, values: list[float]) -> tuple[Orders, dict[tuple[int, int], int]]:
    orders = {}
    for key, tv in model.tiers.items():
        units = sum(round(values[q]) for _, q, _ in tv.parts)
        if units:
            orders[key] = units
    return orders, model.x.read(values)


def _cost(scenario: Scenario, orders: Orders) -> int:
    return sum(scenario.offers[o].cost_cents(q) for (o, _), q in orders.items())


def _within_funds(scenario: Scenario, orders: Orders) -> bool:
    """Each fund pays its own orders in full: exact check in cents after rounding."""
    spent = [0] * len(scenario.funds)
    for (o, f), q in orders.items():
        spent[f] += scenario.offers[o].cost_cents(q)
    return all(s <= fund.amount_cents for s, fund in zip(spent, scenario.funds, strict=True))


def _render(
    scenario: Scenario,
    orders: Orders,
    assignments: dict[tuple[int, int], int],
    bound: Decimal,
    status: Status,
) -> Separate:
    value = exact_value(scenario, assignments)
    bound = max(bound, value)
    covered = [0] * len(scenario.requirements)
    for (_, r), units in assignments.items():
        covered[r] += units
    return Separate(
        value=value,
        cost=cents_to_decimal(_cost(scenario, orders)),
        orders=tuple(render_order(scenario, o, q, fund=f) for (o, f), q in sorted(orders.items())),
        status=status,
        bound=bound,
        gap=round(float((bound - value) / bound), 9) if bound > 0 else 0.0,
        coverage=tuple(
            Coverage(req.id, covered[r], req.quantity)
            for r, req in enumerate(scenario.requirements)
        ),
    )
