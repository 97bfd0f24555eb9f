"""`coalition plan solve | check`: the optimiser on files (docs/CONTRACT.md).

Exit codes: 0 done / feasible, 1 the check found violations (listed on stdout), 2 bad
input or usage (a message on stderr naming the file and the JSON path; nothing written).
"""

import argparse
import json
import math
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from coalition.optimizer.check import check
from coalition.optimizer.errors import PlanError, ScenarioError
from coalition.optimizer.marginal import DEFAULT_RAISE
from coalition.optimizer.money import money_error
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Marginal, Plan
from coalition.optimizer.progress import ProgressLine
from coalition.optimizer.scenario import Scenario
from coalition.optimizer.solve import solve

DEFAULT_TIME_LIMIT = 60.0  # seconds; a solve without a limit could run for ever
MAX_TIME_LIMIT = 3600.0


class InputError(Exception):
    """Bad input: each line of `lines` is printed on stderr, exit code 2."""

    def __init__(self, *lines: str) -> None:
        super().__init__(lines[0] if lines else "")
        self.lines = lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coalition plan", description="The pooled-purchase optimiser."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="solve|check")
    solve_cmd = commands.add_parser("solve", help="the best plan for a scenario")
    solve_cmd.add_argument("scenario", metavar="SCENARIO.json")
    solve_cmd.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        metavar="S",
        help=f"seconds in all, at most {MAX_TIME_LIMIT:g} (default {DEFAULT_TIME_LIMIT:g})",
    )
    solve_cmd.add_argument(
        "--compare-separate", action="store_true", help="also solve with each fund on its own"
    )
    solve_cmd.add_argument(
        "--marginal",
        action="store_true",
        help="also say, for each fund, what raising its amount would buy on top of the plan "
        "(the plan's `marginal` section; it shares the time limit)",
    )
    solve_cmd.add_argument(
        "--marginal-raise",
        metavar="AMOUNT",
        help="the raise of --marginal, in the scenario's currency, such as 250000.50 "
        f"(default {DEFAULT_RAISE}; implies --marginal)",
    )
    solve_cmd.add_argument("--output", metavar="PLAN.json", help="write here, not to stdout")
    check_cmd = commands.add_parser("check", help="check a plan against a scenario")
    check_cmd.add_argument("scenario", metavar="SCENARIO.json")
    check_cmd.add_argument("plan", metavar="PLAN.json")
    return parser


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage and the problem on stderr
        return 0 if exc.code == 0 else 2
    try:
        if args.command == "solve":
            return _solve(args)
        return _check(args)
    except InputError as exc:
        for line in exc.lines:
            print(f"error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted; nothing written", file=sys.stderr)
        return 130


def load_json(path: str) -> Any:
    """The decoded document; numbers with a fraction as exact Decimals."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to read") from None
    except ValueError:  # Python refuses to convert integers of more than 4300 digits
        raise InputError(f"{path}: a number in it has too many digits") from None


def load_scenario(path: str) -> Scenario:
    try:
        return parse_scenario(load_json(path))
    except ScenarioError as exc:
        raise InputError(*(f"{path}: {error}" for error in exc.errors)) from exc


def load_plan(path: str) -> Plan:
    try:
        return Plan.from_json(load_json(path))
    except PlanError as exc:
        raise InputError(*(f"{path}: {error}" for error in exc.errors)) from exc


def _solve(args: argparse.Namespace) -> int:
    limit = args.time_limit
    if not (math.isfinite(limit) and 0 < limit <= MAX_TIME_LIMIT):
        raise InputError(
            f"--time-limit: must be a number of seconds greater than 0 and at most "
            f"{MAX_TIME_LIMIT:g}, not {limit:g}"
        )
    marginal = _marginal_raise(args)
    scenario = load_scenario(args.scenario)
    display = ProgressLine(sys.stderr, live=sys.stderr.isatty())
    try:
        plan = solve(
            scenario,
            time_limit=args.time_limit,
            compare_separate=args.compare_separate,
            marginal=marginal,
            progress=display,
        )
    finally:
        display.close()
    violations = check(scenario, plan)
    if violations:  # a bug: say so loudly and write nothing
        print("error: the solver's plan fails the checker; nothing written:", file=sys.stderr)
        for violation in violations:
            print(f"  {violation}", file=sys.stderr)
        return 1
    text = json.dumps(plan.to_json(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{args.output}: cannot write: {exc}") from exc
    else:
        sys.stdout.write(text)
    print(_summary(plan), file=sys.stderr)
    for row in plan.marginal or ():
        print(_marginal_line(row, plan.currency), file=sys.stderr)
    return 0


def _marginal_raise(args: argparse.Namespace) -> Decimal | None:
    """The raise of `--marginal`, None without it; InputError for a bad amount."""
    if args.marginal_raise is None:
        return DEFAULT_RAISE if args.marginal else None
    text = args.marginal_raise
    problem = money_error(text)
    if problem is not None and problem.startswith("must be a decimal string"):
        problem = "must be an amount of money such as 1000000 or 250000.50"
    elif problem is None and Decimal(text) == 0:
        problem = "must be greater than 0"
    if problem is not None:
        raise InputError(f'--marginal-raise: {problem}, not "{text}"')
    return Decimal(text)


def _marginal_line(row: Marginal, currency: str) -> str:
    line = (
        f"  {row.fund} +{row.raise_by} {currency}: value +{_number(row.extra_value)}, "
        f"cost {'' if row.extra_cost < 0 else '+'}{row.extra_cost} ({row.status}"
    )
    return line + (f", gap {100 * row.gap:.4f}%)" if row.status != "optimal" else ")")


def _summary(plan: Plan) -> str:
    line = f"{plan.status}: value {_number(plan.value)}"
    if plan.bound is not None and plan.gap is not None:
        line += f" (bound {_number(plan.bound)}, gap {100 * plan.gap:.4f}%)"
    line += f", cost {plan.cost} {plan.currency}"
    if plan.solver is not None and plan.solver.seconds is not None:
        line += f", {plan.solver.seconds:.2f} s"
    if plan.separate is not None:
        line += f"; separate buying: value {_number(plan.separate.value)}"
    return line


def _number(value: Decimal) -> str:
    """4350, not 4350.0 or 4.35E+3."""
    return f"{value.normalize():f}"


def _check(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan)
    violations = check(scenario, plan)
    for violation in violations:
        print(violation)
    if violations:
        return 1
    print(f"feasible: value {_number(plan.value)}, cost {plan.cost} {plan.currency}")
    return 0
