"""Scale-out on a real engine (issue 13, item 7): two `coalition serve --no-worker` and
two `coalition worker` processes against one PostgreSQL database. Plans and imports sent
through both servers are each done once; then the worker solving a plan is killed with
SIGKILL mid-solve, and the other worker takes the plan over and solves it once: nothing
is left running for ever.

PostgreSQL only: SQLite is one file on one machine, not a scale-out. The processes use a
database of their own, `<the test database's name>_scale`, created and dropped here, so
that they never meet pytest-django's test database. Every wait is a poll with a generous
limit (two busy cores in CI); nothing sleeps to synchronise."""

import base64
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import pytest

from coalition.optimizer import spec
from coalition.optimizer.generate import generate_size
from tests.test_serve import _children as children
from tests.test_serve import _free_port
from tests.test_serve import _stop as stop_serve

URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not URL.startswith(("postgres://", "postgresql://")),
        reason="scale-out needs PostgreSQL: set DATABASE_URL=postgres://...",
    ),
]

COALITION = str(Path(sys.executable).parent / "coalition")
SLUG = "drone-coalition"
ORDER = "PO-2025-0001"  # the demo's signed order: 3,720 ordered, 2,800 delivered
LEASE = 4  # seconds: a killed worker's task is taken over after this (production: 60)
T = TypeVar("T")


def _scale_url() -> str:
    parts = urlsplit(URL)
    name = parts.path.lstrip("/") or "postgres"
    return urlunsplit(parts._replace(path=f"/{name}_scale"))


def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(URL, autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture
def scale_db() -> Iterator[str]:
    url = _scale_url()
    name = urlsplit(url).path.lstrip("/")
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{name}"')
    yield url
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as connection:
        return list(connection.execute(sql, params).fetchall())


def _until(what: str, check: Callable[[], T | None], limit: float = 240) -> T:
    """Poll `check` until it returns something (limit: generous, CI is two busy cores)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        found = check()
        if found is not None:
            return found
        time.sleep(0.2)
    raise AssertionError(f"waited {limit:.0f} s for {what}")


def _request(url: str, token: str, body: bytes | None = None, kind: str = "") -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    if kind:
        headers["Content-Type"] = kind
    request = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def _upload(url: str, token: str, name: str, data: bytes) -> Any:
    boundary = "----coalition-scale-out"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return _request(url, token, body, f"multipart/form-data; boundary={boundary}")


def _answers(base: str) -> bool | None:
    try:
        with urllib.request.urlopen(f"{base}/api/v1/coalitions", timeout=10) as response:
            return True if response.status == 200 else None
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _pledges(server: int) -> bytes:
    lines = ["reference,date,donor,channel,status,amount,currency"]
    lines += [f"SCALE-{server}-{i:03},2025-05-{1 + i % 28:02},GB,national,pledged,{1000 + i}.00,EUR"
              for i in range(40)]  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


def _manifest(server: int) -> bytes:
    lines = ["serial,order,delivered_on,lot"]
    lines += [f"SCALE-{server}-{i:04},{ORDER},2025-06-02,L{server}" for i in range(100)]
    return ("\n".join(lines) + "\n").encode()


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:  # all at once: each may finish the task in hand
        if process.poll() is None:
            process.terminate()
    for process in processes:
        if process.poll() is None:
            stop_serve(process)


def test_two_servers_two_workers_nothing_lost_or_done_twice_also_when_a_worker_is_killed(
    scale_db: str, tmp_path: Path
) -> None:
    # As on separate machines: each process its own COALITION_HOME (static files), the
    # same keys for all of them.
    env = {
        **os.environ,
        "DATABASE_URL": scale_db,
        "COALITION_HOME": str(tmp_path / "cli"),
        "SECRET_KEY": "scale-out-test-secret-key",
        "AUDIT_SIGNING_KEY": base64.b64encode(bytes(range(32))).decode(),
        "COALITION_TASK_LEASE": str(LEASE),
        "COALITION_INLINE_IMPORT_BYTES": "1000",  # the manifests below go to the workers
    }
    for command in (["migrate"], ["demo"]):
        subprocess.run([COALITION, *command], env=env, check=True, capture_output=True)
    token = subprocess.run(
        [COALITION, "token", "create", "delegate-gb"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ports = [_free_port(), _free_port()]
    commands = [
        ["serve", "--no-worker", "--port", str(ports[0]), "--workers", "1"],
        ["serve", "--no-worker", "--port", str(ports[1]), "--workers", "1"],
        ["worker", "--interval", "0.2"],
        ["worker", "--interval", "0.2"],
    ]
    logs = [tmp_path / f"process-{i}.log" for i in range(len(commands))]
    processes = [
        subprocess.Popen(
            [COALITION, *command],
            env={**env, "COALITION_HOME": str(tmp_path / f"home-{i}")},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        for i, (command, log) in enumerate(zip(commands, logs, strict=True))
    ]
    servers, workers = processes[:2], processes[2:]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        for base in bases:
            _until(f"{base} to answer", lambda b=base: _answers(b), limit=180)  # type: ignore[misc]
        for server in servers:  # --no-worker: the servers run no task worker of their own
            assert [c for _, c in children(server.pid) if " worker" in c] == []
        _plans_and_imports_through_both_servers(bases, token, scale_db)
        _a_killed_workers_plan_is_taken_over(bases[0], token, scale_db, workers)
        verify = subprocess.run(
            [COALITION, "audit", "verify"], env=env, capture_output=True, text=True
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
    except BaseException:
        for log in logs:  # what the processes said, for the failure's report
            print(f"--- {log.name}\n{log.read_text()[-3000:]}")
        raise
    finally:
        _stop(processes)


def _plans_and_imports_through_both_servers(bases: list[str], token: str, url: str) -> None:
    scenario = json.loads(spec.path(spec.EXAMPLE_SCENARIO).read_text())
    runs = [
        _request(
            f"{bases[i % 2]}/api/v1/plans",
            token,
            json.dumps({"scenario": scenario, "coalition": SLUG}).encode(),
            "application/json",
        )["id"]
        for i in range(4)
    ]
    # A solve longer than the lease: its worker's heartbeat keeps it, the idle worker's
    # recovery must leave it alone (started once).
    long_run = _request(f"{bases[1]}/api/v1/plans", token, _medium(), "application/json")["id"]
    batches = []
    for server, base in enumerate(bases):
        pledged = _upload(
            f"{base}/api/v1/coalitions/{SLUG}/pledges", token, "p.csv", _pledges(server)
        )
        assert (pledged["rows"], pledged["contributions"]) == (40, 40)
        queued = _upload(
            f"{base}/api/v1/coalitions/{SLUG}/deliveries/import", token, "m.csv", _manifest(server)
        )
        assert queued["status"] == "queued"
        batches.append(queued["batch"]["id"])

    def all_finished() -> bool | None:
        plans = _rows(
            url, "SELECT status FROM procurement_planrun WHERE id = ANY(%s)", [*runs, long_run]
        )
        done = _rows(
            url, "SELECT status FROM procurement_deliverybatch WHERE id = ANY(%s)", batches
        )
        states = {s for (s,) in plans + done}
        return True if states <= {"done", "failed"} else None

    _until("the plans and the manifests to be done", all_finished)
    solved = _rows(
        url,
        "SELECT id, status, plan->'value', plan->>'cost' FROM procurement_planrun"
        " WHERE id = ANY(%s) ORDER BY id",
        runs,
    )
    assert solved == [(run, "done", 4350, "2497500.00") for run in sorted(runs)]
    assert _events(url, "plan_run", runs) == {
        (str(run), action): 1
        for run in runs
        for action in ("plan.submitted", "plan.started", "plan.finished")
    }
    assert _rows(url, "SELECT status FROM procurement_planrun WHERE id = %s", long_run) == [
        ("done",)
    ]
    assert _events(url, "plan_run", [long_run]) == {
        (str(long_run), action): 1 for action in ("plan.submitted", "plan.started", "plan.finished")
    }
    imported = _rows(
        url,
        "SELECT b.id, b.status, b.written, count(i.id) FROM procurement_deliverybatch b"
        " LEFT JOIN procurement_delivereditem i ON i.batch_id = b.id"
        " WHERE b.id = ANY(%s) GROUP BY b.id ORDER BY b.id",
        batches,
    )
    assert imported == [(batch, "done", 100, 100) for batch in sorted(batches)]
    assert _events(url, "delivery_batch", batches) == {
        (str(batch), action): 1
        for batch in batches
        for action in ("deliveries.queued", "deliveries.started", "deliveries.imported")
    }
    [(delivered,)] = _rows(
        url, "SELECT delivered FROM procurement_order WHERE reference = %s", ORDER
    )
    assert delivered == 2800 + 200
    [(pledges,)] = _rows(
        url, "SELECT count(*) FROM finance_contribution WHERE reference LIKE 'SCALE-%%'"
    )
    assert pledges == 80
    assert _rows(url, "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                 "WHERE status <> 'SUCCESSFUL'") == [(0,)]  # fmt: skip


def _events(url: str, kind: str, ids: list[int]) -> dict[tuple[str, str], int]:
    counted = _rows(
        url,
        "SELECT object_id, action, count(*) FROM audit_auditevent"
        " WHERE object_type = %s AND object_id = ANY(%s) GROUP BY object_id, action",
        kind,
        [str(i) for i in ids],
    )
    return {(object_id, action): n for object_id, action, n in counted}


def _medium() -> bytes:
    """A medium generated scenario: the solver works until its time limit (8 s, twice the
    lease), so a worker is killed mid-solve whatever the machine's speed."""
    body = {"scenario": generate_size("medium"), "coalition": SLUG, "time_limit": 8,
            "compare_separate": False}  # fmt: skip
    return json.dumps(body).encode()


def _a_killed_workers_plan_is_taken_over(
    base: str, token: str, url: str, workers: list[subprocess.Popen[bytes]]
) -> None:
    run = _request(f"{base}/api/v1/plans", token, _medium(), "application/json")

    def solving_worker() -> int | None:
        found = _rows(
            url,
            "SELECT w.pid FROM procurement_planrun r, django_tasks_database_dbtaskresult t,"
            " workers_workerbeat w WHERE r.id = %s AND r.status = 'running'"
            " AND t.status = 'RUNNING' AND t.args_kwargs->'args'->>0 = %s"
            " AND w.worker_id = t.worker_ids->>-1",
            run["id"],
            str(run["id"]),
        )
        return found[0][0] if found else None

    pid = _until("a worker to start solving the plan", solving_worker)
    [victim] = [w for w in workers if w.pid == pid]
    os.kill(pid, signal.SIGKILL)
    victim.wait(timeout=60)

    def finished() -> tuple[Any, ...] | None:
        rows = _rows(
            url,
            "SELECT status, plan->>'status', error FROM procurement_planrun WHERE id = %s",
            run["id"],
        )
        return rows[0] if rows[0][0] in ("done", "failed") else None

    status, plan_status, error = _until("the other worker to solve the plan", finished)
    assert (status, error) == ("done", ""), error
    assert plan_status in ("optimal", "feasible")
    assert _events(url, "plan_run", [run["id"]]) == {
        (str(run["id"]), "plan.submitted"): 1,
        (str(run["id"]), "plan.started"): 2,  # the killed worker, then the other one
        (str(run["id"]), "plan.requeued"): 1,
        (str(run["id"]), "plan.finished"): 1,  # solved once
    }
    [(task_status, claims)] = _rows(
        url,
        "SELECT status, jsonb_array_length(worker_ids) FROM django_tasks_database_dbtaskresult"
        " WHERE task_path LIKE '%%plan_run_execute_task' AND args_kwargs->'args'->>0 = %s",
        str(run["id"]),
    )
    assert (task_status, claims) == ("SUCCESSFUL", 2)
    assert _rows(url, "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                 "WHERE status = 'RUNNING'") == [(0,)]  # fmt: skip
