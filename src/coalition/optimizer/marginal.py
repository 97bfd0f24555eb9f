"""`marginal_values`: what "one more million" for each fund would buy.

For each fund the pooled problem is solved again with that fund's amount raised, starting
from the given plan: raising an amount only loosens rule 5, so the plan keeps every rule of
the raised scenario and is both the warm start and the fallback. The extra value is the
difference of two exact values (integer assignments times decimal weights), the extra cost
a difference of integer cents.

Funds that may pay for the same offers (among those any plan could order) give the same
raised problem, exactly: whether orders can be paid (Hall's condition on the payments)
depends only on the sum of such funds' amounts. So they share one re-solve, and a fund
that may pay for none of them gets nothing, proven, without one. (Measured and dropped:
capping a fund's value by the bound proven for a fund that may pay for more, as a row of
the value stage; it made HiGHS slower, not faster.)

The extras are measured against the plan given. When it is proven optimal and so is the
re-solve, `extra_value` is exactly optimum(raised) - optimum(scenario); when the plan is
only feasible, the extras also hold what the plan itself left on the table.
"""

from dataclasses import replace
from decimal import Decimal

from coalition.optimizer.blocks import offer_scopes
from coalition.optimizer.builder import Progress
from coalition.optimizer.check import check
from coalition.optimizer.limits import MAX_MONEY_CENTS
from coalition.optimizer.model import ModelOptions
from coalition.optimizer.money import cents_to_decimal, format_cents
from coalition.optimizer.plan import Marginal, Plan, Status
from coalition.optimizer.render import Solution, Verdict, render_plan, solution_of
from coalition.optimizer.scenario import Scenario
from coalition.optimizer.solve import solve_pooled
from coalition.optimizer.stages import COST_GAP, Deadline

DEFAULT_RAISE = Decimal("1000000")


def marginal_values(
    scenario: Scenario,
    plan: Plan | Solution,
    *,
    raise_by: Decimal = DEFAULT_RAISE,
    time_limit: float | None = None,
    deadline: Deadline | None = None,
    progress: Progress | None = None,
    options: ModelOptions | None = None,
    cost_gap: float = COST_GAP,
) -> tuple[Marginal, ...]:
    """For each fund of `scenario`, in order, what raising its amount by `raise_by` (money
    in the scenario's currency: more than 0, at most 2 decimals) buys on top of `plan`,
    which must keep every rule of `scenario`. ValueError for a bad raise or plan.

    `time_limit` (seconds) or `deadline` covers all funds together; each re-solve (one per
    `payer_classes` class) gets an equal share of what is left, so time one leaves unused
    goes to the next. `progress` receives the re-solves' events, their stages labelled
    "<fund id>: value" and "<fund id>: cost" by the first fund of the class. `options` and
    `cost_gap` are those of `solve.solve`.
    """
    cents = raise_cents(raise_by)
    base = _checked_solution(scenario, plan)
    deadline = deadline or Deadline(time_limit)
    options = options or ModelOptions()
    classes = payer_classes(scenario)
    left = sum(1 for offers, _ in classes if offers)
    rows: dict[int, Marginal] = {}
    for offers, funds in classes:
        if offers:
            raised = raise_fund(scenario, funds[0], cents)
            label = f"{scenario.funds[funds[0]].id}: "
            solution, verdict = solve_pooled(
                raised, _share(deadline, left), progress, options, cost_gap,
                start_from=base, label=label,
            )  # fmt: skip
            solution, verdict = _no_worse(raised, solution, verdict, base)
            left -= 1
        else:  # nothing it could pay for: the raised problem is this one, proven no better
            solution, verdict = base, Verdict("optimal", base.value(scenario), 0.0, 0.0)
        row = _row(scenario, cents, base, solution, verdict)
        for f in funds:  # each its own dict of units: rows are handed out separately
            rows[f] = replace(row, fund=scenario.funds[f].id, extra_units=dict(row.extra_units))
    return tuple(rows[f] for f in range(len(scenario.funds)))


def payer_classes(scenario: Scenario) -> list[tuple[frozenset[int], list[int]]]:
    """The funds grouped by the offers they may pay for, among those a plan could order
    (`blocks.offer_scopes`): (offer indices, fund indices), in the order of their first
    funds."""
    payable: list[set[int]] = [set() for _ in scenario.funds]
    for scope in offer_scopes(scenario):
        for f in scope.funds:
            payable[f].add(scope.index)
    classes: dict[frozenset[int], list[int]] = {}
    for f, offers in enumerate(payable):
        classes.setdefault(frozenset(offers), []).append(f)
    return list(classes.items())  # dicts keep the order of insertion: by first fund


def raise_cents(amount: Decimal) -> int:
    """The raise in integer cents; ValueError saying what is wrong with it."""
    if not amount.is_finite():
        raise ValueError(f"the raise must be an amount of money, not {amount}")
    if amount <= 0:
        raise ValueError(f"the raise must be greater than 0, not {amount}")
    cents = amount.scaleb(2)
    if cents != cents.to_integral_value():
        raise ValueError(f"the raise must have at most 2 decimals, not {amount}")
    # As a fund's amount: with the raise a fund holds less than twice the money limit, so
    # every sum of cents in the model stays an exact integer in a double (below 2**53).
    if cents > MAX_MONEY_CENTS:
        raise ValueError(f"the raise must be at most {format_cents(MAX_MONEY_CENTS)}")
    return int(cents)


def raise_fund(scenario: Scenario, f: int, cents: int) -> Scenario:
    """`scenario` with fund `f`'s amount raised by `cents`, everything else the same."""
    funds = list(scenario.funds)
    funds[f] = replace(funds[f], amount_cents=funds[f].amount_cents + cents)
    return replace(scenario, funds=tuple(funds))


def _checked_solution(scenario: Scenario, plan: Plan | Solution) -> Solution:
    """The plan's solution, once the checker has found it keeps every rule: an infeasible
    start would be an infeasible fallback, and every extra would be measured from it."""
    if isinstance(plan, Solution):
        offers = scenario.offers
        if any(q and offers[o].tier_for(q) is None for o, q in plan.quantities.items()):
            raise ValueError("the plan to start from orders below an offer's first tier")
        rendered = render_plan(scenario, plan, Verdict("feasible"))
    else:
        rendered = plan
    problems = check(scenario, rendered)
    if problems:
        shown = "; ".join(problems[:3]) + ("; ..." if len(problems) > 3 else "")
        raise ValueError(f"the plan to start from breaks the scenario's rules: {shown}")
    return plan if isinstance(plan, Solution) else solution_of(scenario, plan)


def _share(deadline: Deadline, funds_left: int) -> Deadline:
    """An equal share of the time left, on a clock of its own: the stages split a
    deadline by its elapsed share, which must count from this re-solve's start."""
    left = deadline.remaining()
    return Deadline(None if left is None else left / funds_left)


def _no_worse(
    raised: Scenario, solution: Solution, verdict: Verdict, start: Solution
) -> tuple[Solution, Verdict]:
    """The re-solve's plan, unless a time limit (or numerical trouble) left it worse than
    its own start, by value then cost: the start keeps every rule of the raised scenario
    too, so it stands, with the re-solve's bound."""
    start_key = (start.value(raised), -start.cost_cents(raised))
    if (solution.value(raised), -solution.cost_cents(raised)) >= start_key:
        return solution, verdict
    value = start.value(raised)
    bound = value if verdict.bound is None else max(verdict.bound, value)
    gap = float((bound - value) / bound) if bound > 0 else 0.0
    # Same value, lower cost: the re-solve's proofs hold for the start as well.
    proven = verdict.status == "optimal" and value == solution.value(raised)
    status: Status = "optimal" if proven else "feasible"
    return start, Verdict(status, bound, round(gap, 9), verdict.cost_gap if proven else None)


def _row(
    scenario: Scenario,
    cents: int,
    base: Solution,
    solution: Solution,
    verdict: Verdict,
) -> Marginal:
    before, after = _covered(scenario, base), _covered(scenario, solution)
    return Marginal(
        fund="",  # filled in for each fund of the class
        raise_by=cents_to_decimal(cents),
        extra_value=solution.value(scenario) - base.value(scenario),
        extra_units={
            req.id: after[r] - before[r]
            for r, req in enumerate(scenario.requirements)
            if after[r] != before[r]
        },
        extra_cost=cents_to_decimal(solution.cost_cents(scenario) - base.cost_cents(scenario)),
        status=verdict.status,
        gap=verdict.gap if verdict.gap is not None else 0.0,  # solve_pooled always says
    )


def _covered(scenario: Scenario, solution: Solution) -> list[int]:
    covered = [0] * len(scenario.requirements)
    for (_, r), units in solution.assignments.items():
        covered[r] += units
    return covered
