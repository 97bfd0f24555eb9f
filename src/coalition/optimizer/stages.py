"""Lexicographic solving: first the best value, then the least cost among plans of (at
least) that value. One time limit covers every run.

1. value stage: maximise value;
2. polish: the cheapest plan with exactly the value stage's coverage (fast, and a strong
   start for the cost stage);
3. cost stage: minimise cost subject to value >= best, on the value stage's HiGHS model
   with one row added, to prove the cost within its gap.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import highspy

from coalition.optimizer.blocks import ValueWeights
from coalition.optimizer.builder import (
    ModelBuilder,
    Progress,
    RunResult,
    RunSettings,
    add_row,
    run,
)

VALUE_GAP = 1e-6  # SCENARIO.md: value proven optimal at a relative gap of at most 1e-6
COST_GAP = 1e-4  # ... and its cost minimal at a relative gap of at most 1e-4
VALUE_SHARE = 0.8  # of a time limit, what the value stage may use when it cannot finish
POLISH_SHARE = 0.3  # of what is left then, what polishing the value stage's plan may use
# Objectives are integral (scaled weights, cents): a gap below 1 proves the exact optimum.
# HiGHS does not round its bound in the gap test, so say it with an absolute gap.
ABS_GAP = 0.999


class Deadline:
    def __init__(self, seconds: float | None, clock_start: float | None = None) -> None:
        self.start = time.monotonic() if clock_start is None else clock_start
        self.end = None if seconds is None else self.start + seconds

    def remaining(self) -> float | None:
        return None if self.end is None else max(0.0, self.end - time.monotonic())

    def elapsed(self) -> float:
        return time.monotonic() - self.start


@dataclass(frozen=True)
class StageOutcome:
    values: list[float]  # best solution of the value stage, with integral assignments
    value: float  # its scaled value objective, exact for those orders
    value_bound: float  # proven upper bound on the scaled value
    cost_values: list[float] | None  # the cost stage's solution, None if none keeps the value
    cost_bound: float | None  # proven lower bound on cost in cents, None if unknown


# Maps solver column values to (exact scaled value, the same columns with the assignment
# replaced by an integral one of at least that value), or None if the orders are unusable.
Decoder = Callable[[list[float]], tuple[float, list[float]] | None]


@dataclass(frozen=True)
class StageInput:
    builder: ModelBuilder
    value_objective: dict[int, float]
    cost_objective: dict[int, float]
    weights: ValueWeights
    decode: Decoder
    max_value: float  # scaled value of covering every requirement: a bound needing no proof
    cover_columns: list[int]  # units covered per requirement (fixed when polishing)
    label: str = ""  # prefix of the stage names in progress events
    cost_gap: float = COST_GAP  # relative gap at which the cost stage stops; 0: exact cent
    polish: bool = True


def two_stage(
    spec: StageInput,
    start: list[float],
    deadline: Deadline,
    progress: Progress | None = None,
) -> StageOutcome:
    """Value, then cost. `start` must be feasible (the baseline, or buying nothing)."""
    highs = spec.builder.to_highs(spec.value_objective, maximize=True)
    first = _value_stage(highs, spec, start, deadline, progress)
    decoded = spec.decode(first.values) if first.values is not None else None
    value, values = decoded or spec.decode(start) or (0.0, start)
    optimal = first.status == "optimal"
    bound = _value_bound(first.bound, value, spec.weights.exact, optimal, spec.max_value)
    left = deadline.remaining()
    if left is not None and left < 0.05:
        return StageOutcome(values, value, bound, None, None)
    polished, proven = (
        _polish(spec, values, value, deadline, progress) if spec.polish else (None, False)
    )
    values = polished or values
    # With the polished plan optimal for its coverage, the cost stage mostly has a proof
    # left to do; its heuristics would only find the same plan again, slowly.
    settings = _cost_settings(spec, deadline, heuristics=not proven)
    second = run(_cost_model(spec, value), settings, values, progress)
    cost_bound = None
    if second.bound is not None:
        cost_bound = max(0.0, math.ceil(second.bound - 1e-6))
    cost_values = _keeps_value(spec, second.values, value) or values
    return StageOutcome(values, value, bound, cost_values, cost_bound)


def _value_stage(
    highs: highspy.Highs,
    spec: StageInput,
    start: list[float],
    deadline: Deadline,
    progress: Progress | None,
) -> RunResult:
    left = deadline.remaining()
    settings = RunSettings(
        stage=f"{spec.label}value",
        time_limit=None if left is None else _value_stage_time(left, deadline),
        rel_gap=VALUE_GAP,
        abs_gap=ABS_GAP if spec.weights.exact else 0.0,
        scale=float(spec.weights.scale),
        clock_start=deadline.start,
    )
    return run(highs, settings, start, progress)


def _polish_model(spec: StageInput, values: list[float]) -> highspy.Highs:
    """The cheapest way to cover exactly what the value stage covers: with the coverage
    fixed the problem falls apart by category and solves fast, and its plan is a far
    better start for the cost stage than the value stage's (which ignored cost)."""
    highs = spec.builder.to_highs(spec.cost_objective, maximize=False)
    for col in spec.cover_columns:
        units = float(round(values[col]))
        highs.changeColBounds(col, units, units)
    return highs


def _polish(
    spec: StageInput,
    values: list[float],
    value: float,
    deadline: Deadline,
    progress: Progress | None,
) -> tuple[list[float] | None, bool]:
    """Returns the polished plan, if any, and whether it is proven cheapest for its
    coverage."""
    left = deadline.remaining()
    settings = replace(
        _cost_settings(spec, deadline, True),
        time_limit=None if left is None else left * POLISH_SHARE,
        rel_gap=spec.cost_gap / 10,
    )
    result = run(_polish_model(spec, values), settings, values, progress)
    return _keeps_value(spec, result.values, value), result.status == "optimal"


def _cost_model(spec: StageInput, value: float) -> highspy.Highs:
    """Least cost subject to value >= best."""
    highs = spec.builder.to_highs(spec.cost_objective, maximize=False)
    # With integral objectives best - 0.5 is exact and immune to tolerances.
    slack = 0.5 if spec.weights.exact else 1e-9 * max(1.0, abs(value))
    add_row(highs, spec.value_objective, value - slack, math.inf)
    return highs


def _cost_settings(spec: StageInput, deadline: Deadline, heuristics: bool) -> RunSettings:
    return RunSettings(
        f"{spec.label}cost",
        deadline.remaining(),
        spec.cost_gap,
        ABS_GAP,
        100.0,
        deadline.start,
        heuristics=heuristics,
    )


def _keeps_value(spec: StageInput, values: list[float] | None, value: float) -> list[float] | None:
    """The decoded solution if it has (at least) the value of the value stage."""
    decoded = spec.decode(values) if values is not None else None
    if decoded is not None and decoded[0] >= value - 1e-9 * max(1.0, abs(value)):
        return decoded[1]
    return None


def _value_stage_time(left: float, deadline: Deadline) -> float:
    """The value stage may use most of the limit; the cost stage gets the rest and
    whatever the value stage leaves unused."""
    total = left + deadline.elapsed()
    return max(0.01, min(left, total * VALUE_SHARE - deadline.elapsed()))


def _value_bound(
    bound: float | None, value: float, exact: bool, optimal: bool, ceiling: float
) -> float:
    if optimal and (bound is None or bound < value):
        return value
    if bound is None:  # stopped before the first LP: only the obvious bound is known
        return ceiling
    bound = min(bound, ceiling)
    if exact:
        bound = math.floor(bound + 1e-6)  # an integral objective has an integral optimum
    return max(bound, value)
