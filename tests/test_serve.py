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

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_migrate_demo_and_serve_on_a_fresh_sqlite(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["COALITION_HOME"] = str(tmp_path)
    coalition = str(BIN / "coalition")
    subprocess.run([coalition, "migrate"], env=env, check=True, capture_output=True)
    demo = subprocess.run([coalition, "demo", "--if-empty"], env=env, check=True, capture_output=True, text=True)
    assert "delegate-lv" in demo.stdout and "password: demo" in demo.stdout
    port = _free_port()
    server = subprocess.Popen(
        [coalition, "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, body = _get(f"{base}/api/v1/coalitions/drone-coalition/members?on=2025-05-28")
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
    finally:
        server.terminate()
        server.wait(timeout=10)
