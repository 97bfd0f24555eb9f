"""`solve`: the best plan for the money, value first, then cost, as a `Plan`."""

from decimal import Decimal

from coalition.optimizer.assign import integral_assignments
from coalition.optimizer.baseline import greedy
from coalition.optimizer.builder import Progress, new_highs
from coalition.optimizer.model import ModelOptions, PooledModel, build_pooled, pooled_start
from coalition.optimizer.model import read_solution as read_pooled
from coalition.optimizer.payments import allocate
from coalition.optimizer.plan import Plan, SolverInfo
from coalition.optimizer.render import Solution, Verdict, render_plan
from coalition.optimizer.scenario import Scenario
from coalition.optimizer.stages import (
    COST_GAP,
    VALUE_GAP,
    Deadline,
    StageInput,
    StageOutcome,
    two_stage,
)

SOLVER_NAME = "HiGHS"


def solver_version() -> str:
    return str(new_highs().version())


def solve(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    compare_separate: bool = False,
    marginal: Decimal | None = None,
    progress: Progress | None = None,
    cost_gap: float = COST_GAP,
    options: ModelOptions | None = None,
) -> Plan:
    """Solve `scenario` and return its plan (docs/spec/plan.schema.json).

    `time_limit` (seconds) covers the whole call, in equal shares for the pooled model,
    the marginal values and the separate model, in that order, as asked; time one leaves
    unused goes to the next. With `marginal`, an amount of money, the plan carries each
    fund's marginal values for that raise (`marginal.marginal_values`). `progress`
    receives solver events about four times a second. `cost_gap` is the relative gap at
    which the cost stage may stop (SCENARIO.md's 1e-4); 0 asks for the least cost to the
    cent.
    """
    if marginal is not None:
        from coalition.optimizer.marginal import raise_cents

        raise_cents(marginal)  # a bad raise is refused before any solving, not after
    deadline = Deadline(time_limit)
    parts = 1 + int(compare_separate) + int(marginal is not None)
    options = options or ModelOptions()
    solution, verdict = solve_pooled(
        scenario, _share(deadline, time_limit, 1, parts), progress, options, cost_gap
    )
    marginals = None
    if marginal is not None:
        from coalition.optimizer.marginal import marginal_values

        marginals = marginal_values(
            scenario,
            solution,
            raise_by=marginal,
            deadline=_share(deadline, time_limit, 2, parts),
            progress=progress,
            options=options,
            cost_gap=cost_gap,
        )
    separate = None
    if compare_separate:
        from coalition.optimizer.separate import solve_separate

        separate = solve_separate(scenario, deadline=deadline, progress=progress, cost_gap=cost_gap)
    seconds = round(deadline.elapsed(), 3)
    solver = SolverInfo.run(SOLVER_NAME, solver_version(), seconds, time_limit, verdict.cost_gap)
    return render_plan(scenario, solution, verdict, solver, separate, marginals)


def _share(deadline: Deadline, time_limit: float | None, part: int, parts: int) -> Deadline:
    """The deadline of the first `part` of `parts` equal shares of the limit."""
    return Deadline(None if time_limit is None else time_limit * part / parts, deadline.start)


def solve_pooled(
    scenario: Scenario,
    deadline: Deadline,
    progress: Progress | None,
    options: ModelOptions,
    cost_gap: float = COST_GAP,
    *,
    start_from: Solution | None = None,
    label: str = "",
) -> tuple[Solution, Verdict]:
    """The pooled plan and what is proven about it. `start_from`, a solution known to keep
    every rule of `scenario`, is the warm start and the fallback instead of the greedy
    baseline; `label` prefixes the stage names of progress events."""
    baseline = start_from or greedy(scenario).solution
    model = build_pooled(scenario, options)
    if model.builder.num_cols == 0:  # nothing can be bought: the empty plan is optimal
        return Solution({}, {}, {}), Verdict("optimal", Decimal(0), 0.0)
    start = (
        pooled_start(model, scenario, baseline.quantities, baseline.assignments, baseline.payments)
        if options.warm_start
        else None
    )
    spec = StageInput(
        model.builder,
        model.value_objective(),
        model.cost_objective(scenario),
        model.weights,
        lambda values: _decode(scenario, model, values),
        model.weights.ceiling,
        list(model.x.cover.values()),
        label=label,
        cost_gap=cost_gap,
        polish=options.polish,
    )
    outcome = two_stage(spec, start or [0.0] * model.builder.num_cols, deadline, progress)
    solution, from_cost_stage = _best_solution(scenario, model, outcome, baseline)
    return solution, _verdict(scenario, model, outcome, solution, from_cost_stage)


def _decode(
    scenario: Scenario, model: PooledModel, values: list[float]
) -> tuple[float, list[float]] | None:
    """Exact value and columns with an integral assignment (see `stages.Decoder`)."""
    quantities, _ = read_pooled(model, values)
    assignments = integral_assignments(scenario, quantities)
    if assignments is None:
        return None
    clean = list(values)
    model.x.write(clean, assignments)
    return sum(model.weights.coefs[r] * u for (_, r), u in assignments.items()), clean


def _best_solution(
    scenario: Scenario, model: PooledModel, outcome: StageOutcome, baseline: Solution
) -> tuple[Solution, bool]:
    """The cost stage's plan if it can be paid to the cent, else the value stage's, else
    the baseline (never needed in practice; a safety net against numerical trouble)."""
    candidates = [(outcome.cost_values, True), (outcome.values, False)]
    for values, from_cost_stage in candidates:
        if values is None:
            continue
        quantities, assignments = read_pooled(model, values)
        costs = {o: scenario.offers[o].cost_cents(q) for o, q in quantities.items()}
        payments = allocate(scenario, costs)
        if payments is not None:
            return Solution(quantities, assignments, payments), from_cost_stage
    return baseline, False


def _verdict(
    scenario: Scenario,
    model: PooledModel,
    outcome: StageOutcome,
    solution: Solution,
    cost_proven: bool,
) -> Verdict:
    value = solution.value(scenario)
    scale = model.weights.scale
    bound = max(Decimal(str(outcome.value_bound)) / scale, value)
    value_gap = float((bound - value) / bound) if bound > 0 else 0.0
    cost = solution.cost_cents(scenario)
    cost_gap = None
    if cost_proven and outcome.cost_bound is not None:
        cost_gap = max(0.0, (cost - outcome.cost_bound) / cost) if cost > 0 else 0.0
    optimal = value_gap <= VALUE_GAP and cost_gap is not None and cost_gap <= COST_GAP
    return Verdict(
        "optimal" if optimal else "feasible",
        bound,
        round(value_gap, 9),
        None if cost_gap is None else round(cost_gap, 9),
    )
