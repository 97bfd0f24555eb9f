"""Benchmark of the pooled-purchase optimiser on generated scenarios.

    PYTHONPATH=src python bench/optimizer.py [--sizes small,medium,large] [--budgets tight,loose]
        [--time-limit S] [--no-separate] [--variant NAME]

For each size and budget: solve time, value, proven bound, gap, the greedy baseline's value,
optimiser/baseline, and the value of separate buying. Every plan is re-verified by the
checker. Aims (issue 5): small and medium proven optimal in under 10 s each, large within
0.5 % of its bound in 60 s, on a 2-core machine.
"""

import argparse
import sys
import time
from typing import Any

from coalition.optimizer.baseline import baseline_plan
from coalition.optimizer.check import check
from coalition.optimizer.generate import SIZES, generate_size
from coalition.optimizer.model import ModelOptions
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.separate import solve_separate
from coalition.optimizer.solve import solve

DEFAULT_LIMIT = {"small": 60.0, "medium": 60.0, "large": 60.0}
VARIANTS = {
    "default": ModelOptions(),
    "integer-payments": ModelOptions(integer_payments=True),
    "integer-assignments": ModelOptions(integer_assignments=True),
    "dense-value-row": ModelOptions(dense_value_row=True),
    "no-symmetry": ModelOptions(symmetry=False),
    "no-warm-start": ModelOptions(warm_start=False),
    "no-polish": ModelOptions(polish=False),
}
COLUMNS = (
    f"{'size':<7}{'budget':<7}{'status':<9}{'time s':>7}{'cpu s':>7}{'value':>9}{'bound':>9}"
    f"{'gap %':>8}{'cost gap %':>11}{'baseline':>9}{'opt/base':>9}{'separate':>9}"
    f"{'sep bound':>10}{'sep s':>6} {'sep status':<10}"
)


def run(size: str, budget: str, limit: float, separate: bool, options: ModelOptions) -> str:
    scenario = parse_scenario(generate_size(size, budget))
    base = baseline_plan(scenario)
    began, cpu = time.monotonic(), time.process_time()
    plan = solve(scenario, time_limit=limit, options=options)
    seconds, cpu = time.monotonic() - began, time.process_time() - cpu
    problems = check(scenario, plan) + check(scenario, base)
    if problems:
        sys.exit(f"{size}/{budget}: a plan fails the checker: {problems[:3]}")
    sep: dict[str, Any] = {"value": "-", "bound": "-", "status": "-"}
    sep_seconds = 0.0
    if separate:
        began = time.monotonic()
        sep = solve_separate(scenario, time_limit=limit)
        sep_seconds = time.monotonic() - began
    ratio = plan["value"] / base["value"] if base["value"] else float("inf")
    cost_gap = plan["solver"].get("cost_gap")
    cost_gap_text = "-" if cost_gap is None else f"{100 * cost_gap:.4f}"
    return (
        f"{size:<7}{budget:<7}{plan['status']:<9}{seconds:>7.2f}{cpu:>7.2f}{plan['value']:>9}"
        f"{plan['bound']:>9}{100 * plan['gap']:>8.4f}{cost_gap_text:>11}{base['value']:>9}"
        f"{ratio:>9.4f}{sep['value']:>9}{sep['bound']:>10}{sep_seconds:>6.1f} {sep['status']:<10}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--budgets", default="tight,loose")
    parser.add_argument("--time-limit", type=float, help="seconds per solve (default 60)")
    parser.add_argument("--no-separate", action="store_true")
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="default")
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    print(f"variant: {args.variant}")
    print(COLUMNS)
    for size in sizes:
        for budget in args.budgets.split(","):
            limit = args.time_limit or DEFAULT_LIMIT[size]
            line = run(size, budget, limit, not args.no_separate, VARIANTS[args.variant])
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
