"""Lexicographic solving in two MIP runs on one HiGHS model: first the best value, then
the least cost among plans of (at least) that value. One time limit covers both."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy

from coalition.optimizer.blocks import ValueWeights
from coalition.optimizer.builder import Progress, RunSettings, add_row, run, set_objective

VALUE_GAP = 1e-6  # SCENARIO.md: value proven optimal at a relative gap of at most 1e-6
COST_GAP = 1e-4  # ... and its cost minimal at a relative gap of at most 1e-4
VALUE_SHARE = 0.8  # of a time limit, what the value stage may use when it cannot finish
# The cost stage aims at the exact cent (costs are integers in cents): a plan "equal to the
# optimum" must really be equal. At a time limit, COST_GAP still decides `optimal`.
COST_ABS_GAP = 0.999


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
    values: list[float]  # best solution found (column values)
    value: float  # its scaled value objective, recomputed from rounded columns
    value_bound: float  # proven upper bound on the scaled value
    cost_values: list[float] | None  # the cost stage's solution, None if it found none
    cost_bound: float | None  # proven lower bound on cost in cents, None if unknown


@dataclass(frozen=True)
class StageInput:
    value_objective: dict[int, float]
    cost_objective: dict[int, float]
    weights: ValueWeights
    scaled_value: Callable[[list[float]], float]  # value of a solution after rounding
    label: str = ""  # prefix of the stage names in progress events


def two_stage(
    highs: highspy.Highs,
    spec: StageInput,
    start: list[float],
    deadline: Deadline,
    progress: Progress | None = None,
) -> StageOutcome:
    exact = spec.weights.exact
    left = deadline.remaining()
    first = run(
        highs,
        RunSettings(
            stage=f"{spec.label}value",
            time_limit=None if left is None else _value_stage_time(left, deadline),
            rel_gap=VALUE_GAP,
            abs_gap=COST_ABS_GAP if exact else 0.0,
            scale=float(spec.weights.scale),
            clock_start=deadline.start,
        ),
        start,
        progress,
    )
    values = first.values if first.values is not None else start
    value = spec.scaled_value(values)
    bound = _value_bound(first.bound, value, exact, first.status == "optimal")
    left = deadline.remaining()
    if left is not None and left < 0.05:
        return StageOutcome(values, value, bound, None, None)
    # "value >= best": with integral objectives best - 0.5 is exact and immune to tolerances.
    slack = 0.5 if exact else 1e-9 * max(1.0, abs(value))
    add_row(highs, spec.value_objective, value - slack, math.inf)
    set_objective(highs, spec.cost_objective, maximize=False)
    second = run(
        highs,
        RunSettings(f"{spec.label}cost", left, 0.0, COST_ABS_GAP, 100.0, deadline.start),
        values,
        progress,
    )
    cost_bound = None
    if second.bound is not None:
        cost_bound = max(0.0, math.ceil(second.bound - 1e-6))
    return StageOutcome(values, value, bound, second.values, cost_bound)


def _value_stage_time(left: float, deadline: Deadline) -> float:
    """The value stage may use most of the limit; the cost stage gets the rest and
    whatever the value stage leaves unused."""
    total = left + deadline.elapsed()
    return max(0.01, min(left, total * VALUE_SHARE - deadline.elapsed()))


def _value_bound(bound: float | None, value: float, exact: bool, optimal: bool) -> float:
    if bound is None or (optimal and bound < value):
        return value
    if exact:
        bound = math.floor(bound + 1e-6)  # an integral objective has an integral optimum
    return max(bound, value)
