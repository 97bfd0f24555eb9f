"""The pooled model: one order per offer, paid by any mix of eligible funds.

Variables: tier quantities and binaries per offer (`add_tiers`), integer assignments
(`add_assignments`), and payments. Payments are aggregated by *payer class*: offers that
exactly the same funds may pay for share one column per fund. For fixed integer order
costs this is a transportation problem with integer supplies and demands, so whenever the
columns have a fractional solution an integral flow of cents exists too (integrality
theorem); `payments.allocate` computes it exactly afterwards. That keeps the MILP small
and free of thousands of needless integer columns, while the plan is exact to the cent.
"""

from dataclasses import dataclass, field

from coalition.optimizer.blocks import (
    AssignmentVars,
    OfferScope,
    TierVars,
    ValueWeights,
    add_assignments,
    add_tiers,
    identical_groups,
    offer_scopes,
    symmetry_rows,
    value_weights,
)
from coalition.optimizer.builder import ModelBuilder
from coalition.optimizer.scenario import Scenario


@dataclass(frozen=True)
class ModelOptions:
    """Switches for measuring formulation choices (the benchmark compares them)."""

    integer_payments: bool = False  # payments as integer cents in the MILP itself
    integer_assignments: bool = False  # assignments as integer columns
    dense_value_row: bool = False  # value objective on every assignment column
    symmetry: bool = True  # order identical offers by quantity
    warm_start: bool = True  # start from the greedy baseline
    polish: bool = True  # cheapest plan for the value stage's coverage before the cost stage


@dataclass
class PooledModel:
    builder: ModelBuilder
    scopes: list[OfferScope]
    weights: ValueWeights
    x: AssignmentVars
    tiers: dict[int, TierVars]
    classes: dict[tuple[int, ...], list[int]]  # payer class (fund indices) -> offer indices
    options: ModelOptions
    pay: dict[tuple[int, tuple[int, ...]], int] = field(default_factory=dict)

    def value_objective(self) -> dict[int, float]:
        if self.options.dense_value_row:
            return {col: self.weights.coefs[r] for (_, r), col in self.x.x.items()}
        return self.x.value_objective(self.weights)

    def cost_objective(self, scenario: Scenario) -> dict[int, float]:
        terms: dict[int, float] = {}
        for o, tv in self.tiers.items():
            terms.update(tv.cost_terms(scenario.offers[o]))
        return terms


def build_pooled(scenario: Scenario, options: ModelOptions | None = None) -> PooledModel:
    options = options or ModelOptions()
    b = ModelBuilder()
    scopes = offer_scopes(scenario)
    tiers: dict[int, TierVars] = {}
    for scope in scopes:
        budget = sum(scenario.funds[f].amount_cents for f in scope.funds)
        tv = add_tiers(b, scenario.offers[scope.index], scope.cap, budget)
        if tv is not None:
            tiers[scope.index] = tv
    scopes = [s for s in scopes if s.index in tiers]  # unaffordable offers drop out
    x = add_assignments(b, scenario, scopes, options.integer_assignments)
    for scope in scopes:
        terms = tiers[scope.index].quantity_terms()
        terms.update({x.x[scope.index, r]: -1.0 for r in scope.requirements})
        b.row(terms, lower=0, upper=0)  # every unit ordered is assigned (rule 3)
    classes: dict[tuple[int, ...], list[int]] = {}
    for scope in scopes:
        classes.setdefault(scope.funds, []).append(scope.index)
    model = PooledModel(b, scopes, value_weights(scenario), x, tiers, classes, options)
    _add_payments(model, scenario, options.integer_payments)
    if options.symmetry:
        qty = {o: tv.quantity_terms() for o, tv in tiers.items()}
        symmetry_rows(b, identical_groups(scenario, scopes), qty)
    return model


def _add_payments(model: PooledModel, scenario: Scenario, integer: bool) -> None:
    """Per payer class: what its funds pay equals what its orders cost; per fund: at most
    its amount (rule 5). A class with a single fund charges that fund's row directly."""
    b = model.builder
    fund_rows: dict[int, dict[int, float]] = {f: {} for f in range(len(scenario.funds))}
    for payers, offers in model.classes.items():
        cost: dict[int, float] = {}
        for o in offers:
            cost.update(model.tiers[o].cost_terms(scenario.offers[o]))
        if len(payers) == 1:
            fund_rows[payers[0]].update(cost)
            continue
        most = sum(b.upper[q] * c for q, c in cost.items())
        terms = {q: -c for q, c in cost.items()}
        for f in payers:
            upper = min(float(scenario.funds[f].amount_cents), most)
            col = b.var(0, upper, integer=integer)
            model.pay[f, payers] = col
            fund_rows[f][col] = 1.0
            terms[col] = 1.0
        b.row(terms, lower=0, upper=0)
    for f, terms in fund_rows.items():
        amount = scenario.funds[f].amount_cents
        if terms and sum(b.upper[c] * v for c, v in terms.items()) > amount:
            b.row(terms, upper=float(amount))


def pooled_start(
    model: PooledModel,
    scenario: Scenario,
    quantities: dict[int, int],
    assignments: dict[tuple[int, int], int],
    payments: dict[tuple[int, int], int],
) -> list[float] | None:
    """A full column vector for a known feasible plan (the greedy baseline), or None if the
    plan uses something the model left out (it then simply gets no warm start)."""
    values = [0.0] * model.builder.num_cols
    for o, tv in model.tiers.items():
        if not tv.start(scenario.offers[o], quantities.get(o, 0), values):
            return None
    if not model.x.write(values, assignments):
        return None
    payers_of = {o: payers for payers, offers in model.classes.items() for o in offers}
    for (f, o), cents in payments.items():
        if o not in payers_of:
            return None
        col = model.pay.get((f, payers_of[o]))
        if col is not None:  # single-fund classes have no payment column
            values[col] += float(cents)
    return values


def read_solution(
    model: PooledModel, values: list[float]
) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
    """Integer order quantities and assignments of a solver solution (rounded: integer
    columns are within the solver's integrality tolerance of an integer)."""
    quantities = {}
    for o, tv in model.tiers.items():
        units = sum(round(values[q]) for _, q, _ in tv.parts)
        if units:
            quantities[o] = units
    return quantities, model.x.read(values)
