"""A time limit stops the solver with a plan that keeps every rule, a bound and a gap."""

import json
import time
from pathlib import Path

import pytest

from coalition.optimizer.builder import ProgressEvent
from coalition.optimizer.check import check
from coalition.optimizer.cli import main
from coalition.optimizer.generate import generate_size
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Plan
from coalition.optimizer.solve import solve


def test_tiny_limit_on_a_big_instance_returns_a_checked_plan() -> None:
    scenario = parse_scenario(generate_size("large", "tight"))
    events: list[ProgressEvent] = []
    began = time.monotonic()
    plan = solve(scenario, time_limit=2.0, progress=events.append)
    elapsed = time.monotonic() - began
    assert elapsed < 2.0 + 4.0  # model building and the final checks come on top
    assert plan.status in ("feasible", "optimal")
    assert plan.bound is not None and plan.gap is not None and plan.solver is not None
    assert plan.bound >= plan.value > 0
    assert plan.gap == pytest.approx(float((plan.bound - plan.value) / plan.bound), abs=1e-6)
    assert plan.solver.time_limit == 2.0
    assert check(scenario, plan) == []
    assert events and all(e.elapsed >= 0 for e in events)


def test_time_limit_with_separate_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "medium.json"
    path.write_text(json.dumps(generate_size("medium", "loose", seed=3)))
    assert main(["solve", str(path), "--time-limit", "2", "--compare-separate"]) == 0
    out, err = capsys.readouterr()
    plan = json.loads(out)
    assert plan["status"] in ("feasible", "optimal")
    assert {"bound", "gap"} <= plan.keys() and plan["gap"] >= 0
    assert plan["separate"]["status"] in ("feasible", "optimal")
    assert plan["separate"]["bound"] >= plan["separate"]["value"]
    assert ("feasible: value" in err) or ("optimal: value" in err)
    assert check(parse_scenario(json.loads(path.read_text())), Plan.from_json(plan)) == []
