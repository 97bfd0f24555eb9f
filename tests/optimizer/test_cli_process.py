"""`coalition plan solve` as a real process: stdout carries the plan and nothing else
(the solver library may print on the process's own stdout, which capsys cannot see)."""

import json
import subprocess
import sys
from pathlib import Path

from coalition.optimizer import spec

EXAMPLE = spec.path(spec.EXAMPLE_SCENARIO)
COALITION = str(Path(sys.executable).parent / "coalition")


def test_stdout_is_only_the_plan() -> None:
    done = subprocess.run(
        [COALITION, "plan", "solve", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=True,
    )
    plan = json.loads(done.stdout)
    assert (plan["value"], plan["cost"]) == (4350, "2497500.00")
    assert "optimal: value 4350" in done.stderr


def test_bad_scenario_exits_2_with_the_path_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"start": "2025-01-01", "requirements": [], "offers": []}')
    done = subprocess.run([COALITION, "plan", "solve", str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"error: {bad}: funds: is required" in done.stderr
