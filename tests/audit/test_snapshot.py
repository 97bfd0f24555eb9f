"""`audit verify` while the site takes writes: the head and the events are read in one
snapshot, so verifying beside concurrent writers never reports a problem (it used to say
"event #N and after were removed" in most runs). Writers and the verifier are separate
processes, each with its own connection: on SQLite against a file database (the suite's
own is in memory), on PostgreSQL against the suite's database."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection

from tests.conftest import requires_postgres

LOAD = Path(__file__).with_name("chain_load.py")
WRITERS = 3
SECONDS = 2.0  # the old code raised dozens of false alarms in this time


def _environment(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        COALITION_HOME=str(tmp_path),
        AUDIT_SIGNING_KEY=base64.b64encode(raw).decode(),
        AUDIT_WITNESS_FILE=str(tmp_path / "witness.json"),
        DJANGO_SETTINGS_MODULE="coalition.settings",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _load(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(LOAD), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(process: subprocess.Popen[str]) -> dict[str, object]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    result: dict[str, object] = json.loads(out.splitlines()[-1])
    return result


def _verify_beside_writers(env: dict[str, str]) -> None:
    writers = [_load(env, "write", str(SECONDS)) for _ in range(WRITERS)]
    verifier = _load(env, "verify", str(SECONDS))
    verified = _result(verifier)
    written = sum(int(str(_result(w)["written"])) for w in writers)
    assert written > 100, "the writers hardly wrote: no load to verify under"
    assert int(str(verified["runs"])) >= 3
    assert verified["problems"] == []
    # Once they have stopped: the chain holds, and the witness that three processes kept
    # holds the last head (the database may have held events before).
    final = _result(_load(env, "verify", "0.01"))
    assert final["problems"] == []
    assert int(str(final["events"])) >= written
    witness = json.loads(Path(env["AUDIT_WITNESS_FILE"]).read_text())
    assert witness["seq"] == final["events"]


def test_verify_beside_concurrent_writers_on_sqlite(tmp_path: Path) -> None:
    env = _environment(tmp_path, database_url=None)  # SQLite in COALITION_HOME
    _result(_load(env, "setup"))
    _verify_beside_writers(env)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_verify_beside_concurrent_writers_on_postgres(tmp_path: Path) -> None:
    db = connection.settings_dict
    port = f":{db['PORT']}" if db["PORT"] else ""
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}{port}/{db['NAME']}"
    _verify_beside_writers(_environment(tmp_path, database_url=url))
