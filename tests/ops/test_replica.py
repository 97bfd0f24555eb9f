"""compose.yaml's database part on real PostgreSQL binaries, without Docker (issue 13): a
primary started with the `db` service's own settings (read from compose.yaml: WAL level,
WAL senders, archiving into an archive directory), set up by the very script compose
mounts (deploy/postgres/primary-init.sh), and a streaming replica started by
deploy/postgres/replica-entrypoint.sh. Then:

1. the schema and the demo on the primary, a write through the CLI: the replica replays
   it (same audit head, same rows) and refuses writes;
2. point-in-time recovery: a base backup by deploy/postgres/base-backup.sh, a write, a
   named restore point, a write after it; the backup restored with the archived WAL up to
   that point has the first write and not the second; `coalition audit verify` refuses it
   while the witness holds the later head and passes once that is put aside; it takes
   writes again, and a new replica follows it once its slot is made again.

Everything lives in a temporary directory, on free ports, in clusters of the test's own
(the machine's PostgreSQL is never touched); every server started is killed by its pid at
the end, pass or fail. Under root the PostgreSQL programs run as the `postgres` user
(initdb refuses root), as they do in the image. Every wait is a bounded poll."""

import contextlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml

from tests.conftest import requires_postgres
from tests.ops.support import Site
from tests.ops.test_scale_out import _until as until
from tests.test_serve import _free_port as free_port

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
PROGRAMS = ("initdb", "postgres", "pg_basebackup", "pg_isready", "psql")
LIMIT = 120  # seconds for any one wait: generous, CI is two busy cores


def _pg_bin() -> Path | None:
    """Debian's server binaries (the newest installed), else those on PATH."""
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if all((candidate / p).exists() for p in PROGRAMS):
            return candidate
    found = [shutil.which(p) for p in PROGRAMS]
    return Path(found[0]).parent if all(found) and found[0] else None


def _os_user() -> str | None:
    """Who runs PostgreSQL: ourselves, or `postgres` when we are root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    with contextlib.suppress(KeyError):
        return pwd.getpwnam("postgres").pw_name
    return None


PG_BIN = _pg_bin()
pytestmark = [
    pytest.mark.skipif(
        PG_BIN is None or _os_user() is None,
        reason="needs PostgreSQL's server programs (initdb, postgres, pg_basebackup: Debian's "
        "postgresql package) and, under root, a `postgres` user; CI has them",
    ),
    # Its clusters are its own, whatever the suite's database: it runs once, in CI's
    # PostgreSQL pass, rather than twice (35 s each).
    requires_postgres,
]


def _compose_env() -> dict[str, str]:
    """compose's x-postgres-env with its defaults (`${X:-default}`): users and passwords."""
    env = COMPOSE["x-postgres-env"]
    return {k: re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(v)) for k, v in env.items()}


def _mounted(service: str, target: str) -> Path:
    """The host file compose mounts at `target` in `service`: the script it runs."""
    for volume in COMPOSE["services"][service]["volumes"]:
        source, mount, *_ = volume.split(":")
        if mount == target:
            return ROOT / source
    raise AssertionError(f"compose.yaml mounts nothing at {target} in {service}")


def _primary_settings(archive: Path) -> list[str]:
    """The `db` service's command line, its archive volume (/archive) moved to `archive`."""
    command = COMPOSE["services"]["db"]["command"]
    assert command[0] == "postgres"
    return [arg.replace("/archive/", f"{archive}/") for arg in command[1:]]


@dataclass
class Lab:
    """A temporary directory owned by the PostgreSQL user, and the servers started in it."""

    root: Path
    user: str
    servers: list[tuple[str, "subprocess.Popen[bytes]"]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        # The shim directory first: the replica script ends in `exec docker-entrypoint.sh`.
        path = f"{self.root / 'bin'}:{PG_BIN}:/usr/bin:/bin"
        return {"PATH": path, "HOME": str(self.root), "LC_ALL": "C.UTF-8", "TZ": "UTC"}

    def command(self, args: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return args
        return [
            "setpriv",
            f"--reuid={self.user}",
            f"--regid={self.user}",
            "--init-groups",
            "--",
            *args,
        ]  # setpriv execs: the pid stays the program's

    def run(self, args: list[str], **env: str) -> str:
        result = subprocess.run(
            self.command(args),
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=LIMIT,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def start(self, name: str, args: list[str], **env: str) -> None:
        """A server in the foreground, as a container runs it; its log in NAME.log."""
        with open(self.root / f"{name}.log", "wb") as log:
            process = subprocess.Popen(
                self.command(args), env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT
            )
        self.servers.append((name, process))

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for _name, process in self.servers:
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT)  # immediate shutdown: nothing to keep
        for _name, process in self.servers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


@pytest.fixture
def lab() -> Iterator[Lab]:
    user = _os_user()
    assert user is not None
    root = Path(tempfile.mkdtemp(prefix="coalition-replica-"))
    the_lab = Lab(root, user)
    try:
        for sub in ("bin", "archive", "backups", "sock", "home"):
            (root / sub).mkdir()
        shim = root / "bin" / "docker-entrypoint.sh"
        # The image's entrypoint, on a data directory that exists, only execs its arguments.
        shim.write_text('#!/bin/sh\nexec "$@"\n')
        shim.chmod(0o755)
        if os.geteuid() == 0:
            record = pwd.getpwnam(user)
            for path in (root, *(p for p in root.iterdir() if p.name != "home")):
                os.chown(path, record.pw_uid, record.pw_gid)
        yield the_lab
    finally:
        the_lab.stop_all()
        shutil.rmtree(root, ignore_errors=True)


def _url(port: int, password: str, env: dict[str, str], database: str = "") -> str:
    return (
        f"postgresql://{env['POSTGRES_USER']}:{password}@127.0.0.1:{port}/"
        f"{database or env['POSTGRES_DB']}"
    )


def _query(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as db:
        cursor = db.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []


def _answers(url: str) -> bool | None:
    try:
        _query(url, "SELECT 1")
    except psycopg.OperationalError:
        return None
    return True


def _serve(lab: Lab, port: int) -> list[str]:
    """Where a server listens: TCP on the loopback (the network of the containers)."""
    return ["-p", str(port), "-k", str(lab.root / "sock"), "-c", "listen_addresses=127.0.0.1"]


def _start_primary(lab: Lab, env: dict[str, str]) -> int:
    """What the postgres image does with compose's `db` service, step by step."""
    data = lab.root / "primary"
    (lab.root / "pwfile").write_text(env["POSTGRES_PASSWORD"] + "\n")
    if os.geteuid() == 0:
        shutil.chown(lab.root / "pwfile", lab.user, lab.user)
    lab.run(
        [
            "initdb",
            "-D",
            str(data),
            f"--username={env['POSTGRES_USER']}",
            f"--pwfile={lab.root / 'pwfile'}",
            "--encoding=UTF8",
            "--locale=C",
        ]
    )
    # initdb trusts the loopback, which in a container is the container itself: every
    # other container (the replica, the app) meets only the line the image appends, then
    # the one primary-init.sh appends. Here everything comes over the loopback, so its
    # lines go and the replica has to pass the password, as it does from its container.
    hba = data / "pg_hba.conf"
    kept = [line for line in hba.read_text().splitlines() if not line.startswith("host")]
    hba.write_text("\n".join([*kept, "host all all all scram-sha-256", ""]))
    port = free_port()
    settings = _primary_settings(lab.root / "archive")
    lab.start("primary", ["postgres", "-D", str(data), *_serve(lab, port), *settings])
    admin = _url(port, env["POSTGRES_PASSWORD"], env, database="postgres")
    until("the primary to answer", lambda: _up(lab, "primary", admin), LIMIT)
    _query(admin, f'CREATE DATABASE "{env["POSTGRES_DB"]}"')
    # docker-entrypoint-initdb.d: the script as compose mounts it, through the socket.
    script = _mounted("db", "/docker-entrypoint-initdb.d/10-replication.sh")
    lab.run(
        ["bash", str(script)],
        **env,
        PGDATA=str(data),
        PGHOST=str(lab.root / "sock"),
        PGPORT=str(port),
    )
    _query(admin, "SELECT pg_reload_conf()")  # the image restarts the server instead
    return port


def _start_replica(lab: Lab, name: str, env: dict[str, str], primary: int) -> str:
    """A replica as compose's `db-replica` starts it; it answers and streams when this returns."""
    port = free_port()
    script = _mounted("db-replica", COMPOSE["services"]["db-replica"]["entrypoint"][0])
    lab.start(
        name,
        ["bash", str(script), *_serve(lab, port)],
        **env,
        PGDATA=str(lab.root / name),
        PRIMARY_HOST="127.0.0.1",
        PRIMARY_PORT=str(primary),
    )
    url = _url(port, env["POSTGRES_PASSWORD"], env)
    until(f"{name} to answer", lambda: _up(lab, name, url), LIMIT)
    streams = (
        "SELECT r.state, s.slot_name FROM pg_stat_replication r "
        "JOIN pg_replication_slots s ON s.active_pid = r.pid"
    )
    primary_url = _url(primary, env["POSTGRES_PASSWORD"], env)
    until(
        f"{name} to stream through its slot",
        lambda: _query(primary_url, streams) == [("streaming", "replica_1")] or None,
        LIMIT,
    )
    return url


def _up(lab: Lab, name: str, url: str) -> bool | None:
    """Whether a server answers yet; a server that exited fails the test with its log."""
    process = dict(lab.servers)[name]
    if process.poll() is not None:
        raise AssertionError(f"{name} exited {process.returncode}:\n{lab.log(name)}")
    return _answers(url)


def _replayed(primary: str, replica: str) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    (lsn,) = _query(primary, "SELECT pg_current_wal_lsn()")[0]
    check = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
    until(
        f"the replica to replay up to {lsn}",
        lambda: _query(replica, check, lsn)[0][0] or None,
        LIMIT,
    )


def _head(url: str) -> tuple[int, str]:
    seq, digest = _query(url, "SELECT seq, hash FROM audit_audithead")[0]
    return seq, digest


def _tokens(url: str) -> set[str]:
    return {name for (name,) in _query(url, "SELECT name FROM governance_apitoken")}


def test_replica_follows_and_point_in_time_recovery_restores(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _compose_env()
    # Production's witness file (pytest turns it off by default): see the end.
    witness = lab.root / "home" / "audit_witness.json"
    monkeypatch.setenv("AUDIT_WITNESS_FILE", str(witness))
    password = env["POSTGRES_PASSWORD"]
    primary_port = _start_primary(lab, env)
    primary = _url(primary_port, password, env)
    replica = _start_replica(lab, "replica", env, primary_port)

    # 1. What the `migrate` service runs, then a write: the replica has it all.
    site = Site(lab.root / "home", database_url=primary)
    site.run("migrate")
    site.run("demo")
    site.run("token", "create", "admin", "--name", "replicated")
    _replayed(primary, replica)
    assert _head(replica) == _head(primary)
    assert _head(primary)[0] > 0
    assert _tokens(replica) == _tokens(primary) == {"replicated"}
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        _query(replica, "UPDATE audit_audithead SET seq = seq")

    # 2. Point-in-time recovery: a base backup, a write, the target, a write after it.
    backup = _mounted("pitr-backup", "/base-backup.sh")
    target = Path(
        lab.run(
            ["bash", str(backup)],
            **env,
            BACKUP_DIR=str(lab.root / "backups"),
            PRIMARY_HOST="127.0.0.1",
            PRIMARY_PORT=str(primary_port),
        ).strip()
    )
    site.run("token", "create", "admin", "--name", "before-target")
    at_target = _head(primary)
    _query(primary, "SELECT pg_create_restore_point('before-mistake')")
    site.run("token", "create", "admin", "--name", "after-target")
    assert _head(primary)[0] > at_target[0]
    # The segment holding the last write is archived once it is switched out (compose
    # waits for archive_timeout, 5 minutes): wait for it in the archive.
    (segment,) = _query(primary, "SELECT pg_walfile_name(pg_switch_wal())")[0]
    archiver = "SELECT last_archived_wal >= %s FROM pg_stat_archiver"  # once copied whole
    until(
        f"{segment} in the archive", lambda: _query(primary, archiver, segment)[0][0] or None, LIMIT
    )

    # docs/deploy.md's procedure: the backup in a new data directory, the archive's WAL
    # replayed up to the restore point, then the server promoted to take writes.
    restored = lab.root / "restored"
    lab.run(["mkdir", "-m", "0700", str(restored)])
    lab.run(["tar", "-xzf", str(target / "base.tar.gz"), "-C", str(restored)])
    with open(restored / "postgresql.auto.conf", "a") as conf:
        conf.write(
            f"restore_command = 'cp {lab.root / 'archive'}/%f %p'\n"
            "recovery_target_name = 'before-mistake'\n"
            "recovery_target_action = 'promote'\n"
        )
    lab.run(["touch", str(restored / "recovery.signal")])
    port = free_port()
    # As compose starts `db` again: the same settings, archiving the new timeline.
    settings = _primary_settings(lab.root / "archive")
    lab.start("restored", ["postgres", "-D", str(restored), *_serve(lab, port), *settings])
    recovered = _url(port, password, env)

    def promoted() -> bool | None:
        if not _up(lab, "restored", recovered):
            return None
        return not _query(recovered, "SELECT pg_is_in_recovery()")[0][0] or None

    until("the restored server to reach the target and take writes", promoted, LIMIT)
    assert _tokens(recovered) == {"replicated", "before-target"}, lab.log("restored")
    assert _head(recovered) == at_target
    # The processes' witness (the newest signed head, outside the database) still holds
    # the head after the target: it shows the rewind, until it is put aside.
    after_recovery = Site(lab.root / "home", database_url=recovered)
    refused = after_recovery.run("audit", "verify", check=False)
    assert refused.returncode != 0
    assert "witness" in refused.stdout + refused.stderr
    witness.rename(witness.with_name("audit_witness.before-recovery.json"))
    after_recovery.run("audit", "verify")
    # A base backup leaves the replication slots out: the recovered primary needs its slot
    # again before a new replica (the old one followed the undone timeline) can follow.
    assert _query(recovered, "SELECT count(*) FROM pg_replication_slots") == [(0,)]
    _query(recovered, "SELECT pg_create_physical_replication_slot('replica_1')")
    new_replica = _start_replica(lab, "new-replica", env, port)
    after_recovery.run("token", "create", "admin", "--name", "after-recovery")
    after_recovery.run("audit", "verify")
    _replayed(recovered, new_replica)
    assert _head(new_replica) == _head(recovered)
    assert _tokens(new_replica) == {"replicated", "before-target", "after-recovery"}
