"""A thin layer over highspy: collect columns and rows in Python, pass them in one go, and
run a MIP with a time limit, gap targets and a progress callback.

Passing the whole matrix at once (`passModel`) is far faster than highspy's expression API
on models with tens of thousands of rows.
"""

import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np

INF = math.inf
HEURISTICS = (
    "mip_heuristic_run_rins",
    "mip_heuristic_run_rens",
    "mip_heuristic_run_feasibility_jump",
    "mip_heuristic_run_root_reduced_cost",
)


@dataclass(frozen=True)
class ProgressEvent:
    """What the solver reports while it runs; objective figures in the stage's own units."""

    stage: str
    incumbent: float | None
    bound: float | None
    gap: float | None
    elapsed: float


Progress = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class RunResult:
    status: str  # "optimal", "time_limit", "infeasible" or "other"
    values: list[float] | None  # column values of the best solution found, if any
    objective: float | None
    bound: float | None
    seconds: float


class ModelBuilder:
    """Columns and rows of a MILP, in HiGHS's row-wise sparse format."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.starts: list[int] = [0]
        self.indices: list[int] = []
        self.coefs: list[float] = []

    @property
    def num_cols(self) -> int:
        return len(self.lower)

    def var(self, lower: float, upper: float, *, integer: bool = False) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.lower) - 1

    def row(self, terms: Mapping[int, float], lower: float = -INF, upper: float = INF) -> int:
        for col, coef in terms.items():
            if coef:
                self.indices.append(col)
                self.coefs.append(coef)
        self.starts.append(len(self.indices))
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        return len(self.row_lower) - 1

    def to_highs(self, objective: Mapping[int, float], maximize: bool) -> highspy.Highs:
        lp = highspy.HighsLp()
        lp.num_col_ = self.num_cols
        lp.num_row_ = len(self.row_lower)
        cost = np.zeros(self.num_cols)
        for col, coef in objective.items():
            cost[col] = coef
        lp.col_cost_ = cost
        lp.col_lower_ = np.array(self.lower, dtype=float)
        lp.col_upper_ = np.array(self.upper, dtype=float)
        lp.row_lower_ = np.array(self.row_lower, dtype=float)
        lp.row_upper_ = np.array(self.row_upper, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(self.starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(self.indices, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(self.coefs, dtype=float)
        kinds = highspy.HighsVarType
        lp.integrality_ = [kinds.kInteger if i else kinds.kContinuous for i in self.integer]
        lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        highs = new_highs()
        highs.passModel(lp)
        return highs


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def new_highs() -> highspy.Highs:
    """A silent HiGHS. Since highspy 1.16 the constructor prints a banner on the process's
    stdout, where `plan solve` writes its plan, so it is sent to stderr instead."""
    with _stdout_to_stderr():
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    return highs


def add_row(highs: highspy.Highs, terms: Mapping[int, float], lower: float, upper: float) -> None:
    cols = np.array(list(terms), dtype=np.int32)
    vals = np.array([terms[c] for c in terms], dtype=float)
    highs.addRow(lower, upper, len(cols), cols, vals)


@dataclass(frozen=True)
class RunSettings:
    stage: str
    time_limit: float | None
    rel_gap: float
    abs_gap: float
    scale: float = 1.0  # progress figures are divided by this (integer-scaled weights)
    clock_start: float = 0.0  # `elapsed` in progress events counts from here
    heuristics: bool = True  # off when a strong start is known and only the proof is left


def run(
    highs: highspy.Highs,
    settings: RunSettings,
    start: list[float] | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Solve the MIP in `highs` as it stands; `start` is a full solution to warm start from."""
    configure(highs, settings, start)
    reporter = _reporter(settings, progress) if progress is not None else None
    if reporter is not None:
        highs.cbMipInterrupt.subscribe(reporter)
    began = time.monotonic()
    highs.run()
    seconds = time.monotonic() - began
    if reporter is not None:
        highs.cbMipInterrupt.unsubscribe(reporter)
    return result_of(highs, seconds)


def configure(highs: highspy.Highs, settings: RunSettings, start: list[float] | None) -> None:
    """Time limit, gaps, heuristics and the warm start of one MIP run."""
    if settings.time_limit is not None:
        highs.setOptionValue("time_limit", max(0.01, settings.time_limit))
    highs.setOptionValue("mip_rel_gap", settings.rel_gap)
    highs.setOptionValue("mip_abs_gap", settings.abs_gap)
    if not settings.heuristics:
        # Measured on the benchmark: with the polished start already (near) optimal, HiGHS's
        # sub-MIP heuristics spend most of the cost stage finding nothing better.
        for name in HEURISTICS:
            highs.setOptionValue(name, False)
        highs.setOptionValue("mip_heuristic_effort", 0.0)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start
        solution.value_valid = True
        highs.setSolution(solution)


def _reporter(settings: RunSettings, progress: Progress) -> Callable[[object], None]:
    last = [0.0]

    def report(event: object) -> None:
        now = time.monotonic()
        if now - last[0] < 0.25:  # HiGHS calls this thousands of times a second
            return
        last[0] = now
        out = event.data_out  # type: ignore[attr-defined]
        incumbent = finite(out.mip_primal_bound, settings.scale)
        bound = finite(out.mip_dual_bound, settings.scale)
        gap = out.mip_gap if math.isfinite(out.mip_gap) else None
        elapsed = now - settings.clock_start if settings.clock_start else out.running_time
        progress(ProgressEvent(settings.stage, incumbent, bound, gap, elapsed))

    return report


def finite(value: float, scale: float = 1.0) -> float | None:
    return value / scale if math.isfinite(value) and abs(value) < 1e300 else None


def result_of(highs: highspy.Highs, seconds: float) -> RunResult:
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    statuses = highspy.HighsModelStatus
    status = {
        statuses.kOptimal: "optimal",
        statuses.kTimeLimit: "time_limit",
        statuses.kInterrupt: "time_limit",
        statuses.kInfeasible: "infeasible",
    }.get(model_status, "other")
    has_solution = info.primal_solution_status == highspy.kSolutionStatusFeasible
    values = list(highs.getSolution().col_value) if has_solution else None
    objective = info.objective_function_value if has_solution else None
    bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
    return RunResult(status, values, objective, bound, seconds)
