"""`make run`'s path end to end: migrate, demo, the production server, static files."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
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


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----coalition-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), boundary


def _call(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _children(pid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found.append((int(entry.name), command))
    return found


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop `serve` as Ctrl-C would. It lets its task worker finish the job in hand (the
    daily audit check, a solve), which on a busy machine takes longer than on a quiet
    one: waiting is not what this test measures, so it waits long, then kills."""
    server.terminate()
    try:
        server.wait(timeout=120)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def test_make_run_then_a_long_import_beside_sixteen_writers_then_a_killed_worker(
    tmp_path: Path,
) -> None:
    """`make run`'s path on a fresh SQLite file: migrate, the demo, the production server,
    static files, the API and its docs. Then attack report, defect 2: an 8,000-row upload
    held SQLite's write lock for 31 s; 5 of 163 concurrent writes got 500 "database is
    locked" and the task worker died for good. Now the file is read before the write
    transaction, the worker waits out a busy database, and `serve` starts a dead worker
    again: no 5xx, and plans still solve. (One server for both: each costs seconds.)"""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["COALITION_HOME"] = str(tmp_path)
    coalition = str(BIN / "coalition")
    subprocess.run([coalition, "migrate"], env=env, check=True, capture_output=True)
    demo = subprocess.run(
        [coalition, "demo", "--if-empty"], env=env, check=True, capture_output=True, text=True
    )
    assert "delegate-lv" in demo.stdout and "password: demo" in demo.stdout
    token = subprocess.run(
        [coalition, "token", "create", "admin"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    port = _free_port()
    server = subprocess.Popen(
        [coalition, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    site = f"http://127.0.0.1:{port}"
    base = f"{site}/api/v1/coalitions/drone-coalition"
    try:
        for _ in range(100):
            try:
                status, body = _get(f"{base}/members?on=2025-05-28")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not answer")
        assert status == 200 and len(json.loads(body)) == 18
        for path in ("/static/coalition/site.css", "/coalitions/drone-coalition/"):
            assert _get(f"{site}{path}")[0] == 200
        for path in ("/api/v1/openapi.json", "/api/v1/docs"):
            assert _get(f"{site}{path}")[0] == 200
        rows = "\n".join(
            f"LOAD-{i},2025-03-03,DE,national,pledged,{i + 1}.00,EUR" for i in range(10_000)
        )
        body, boundary = _multipart(
            "load.csv", f"reference,date,donor,channel,status,amount,currency\n{rows}\n".encode()
        )
        statuses: list[int] = []
        done = threading.Event()

        def writer(number: int) -> None:
            i = 0
            while not done.is_set() or i < 3:
                pledge = {
                    "reference": f"W{number}-{i}",
                    "date": "2025-03-04",
                    "donor": "NL",
                    "channel": "national",
                    "status": "pledged",
                    "amount": "10.00",
                    "currency": "EUR",
                }
                request = urllib.request.Request(
                    f"{base}/contributions",
                    data=json.dumps(pledge).encode(),
                    headers={**auth, "Content-Type": "application/json"},
                )
                statuses.append(_call(request))
                i += 1

        writers = [threading.Thread(target=writer, args=(n,)) for n in range(16)]
        for thread in writers:
            thread.start()
        upload = urllib.request.Request(
            f"{base}/pledges",
            data=body,
            headers={**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert _call(upload) == 200
        done.set()
        for thread in writers:
            thread.join(timeout=120)
        assert len(statuses) >= 48 and all(s == 201 for s in statuses), sorted(set(statuses))
        [(worker, _)] = [c for c in _children(server.pid) if " worker" in c[1]]
        os.kill(worker, 9)  # a worker killed mid-life: serve starts another
        _a_plan_is_solved_by_the_background_worker(site, coalition, env)
    finally:
        _stop(server)
