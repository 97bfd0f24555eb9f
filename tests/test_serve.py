"""`make run`'s path end to end: migrate, demo, the production server, static files."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coalition.optimizer import spec

BIN = Path(sys.executable).parent
EXAMPLE = spec.path(spec.EXAMPLE_SCENARIO)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _a_plan_is_solved_by_the_background_worker(
    base: str, coalition: str, env: dict[str, str]
) -> None:
    token = subprocess.run(
        [coalition, "token", "create", "delegate-gb"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    scenario = json.loads(EXAMPLE.read_text())
    request = urllib.request.Request(
        f"{base}/api/v1/plans",
        data=json.dumps({"scenario": scenario}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 202  # queued: a worker process solves it
        run = json.loads(response.read())
    for _ in range(300):
        poll = urllib.request.Request(
            f"{base}{run['url']}", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(poll, timeout=10) as response:
            run = json.loads(response.read())
        if run["status"] in {"done", "failed"}:
            break
        time.sleep(0.2)
    assert run["status"] == "done", run
    assert (run["plan"]["value"], run["plan"]["cost"]) == (4350, "2497500.00")


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_migrate_demo_and_serve_on_a_fresh_sqlite(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["COALITION_HOME"] = str(tmp_path)
    coalition = str(BIN / "coalition")
    subprocess.run([coalition, "migrate"], env=env, check=True, capture_output=True)
    demo = subprocess.run(
        [coalition, "demo", "--if-empty"], env=env, check=True, capture_output=True, text=True
    )
    assert "delegate-lv" in demo.stdout and "password: demo" in demo.stdout
    port = _free_port()
    server = subprocess.Popen(
        [coalition, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, body = _get(
                    f"{base}/api/v1/coalitions/drone-coalition/members?on=2025-05-28"
                )
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not answer")
        assert status == 200 and len(json.loads(body)) == 18
        assert _get(f"{base}/static/coalition/site.css")[0] == 200
        assert _get(f"{base}/coalitions/drone-coalition/")[0] == 200
        assert _get(f"{base}/api/v1/openapi.json")[0] == 200
        assert _get(f"{base}/api/v1/docs")[0] == 200
        _a_plan_is_solved_by_the_background_worker(base, coalition, env)
    finally:
        server.terminate()
        server.wait(timeout=10)
