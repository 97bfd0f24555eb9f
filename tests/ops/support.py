"""The `coalition` command run as a separate process on a database of its own (a SQLite
file, or a PostgreSQL database created for the test), as an operator would."""

import base64
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

BIN = Path(sys.executable).parent / "coalition"
# One key for every process of a test: the chain must verify wherever it is restored.
KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.b64encode(bytes(range(1, 33))).decode()
TIMEOUT = 900  # seconds: generous, for two busy cores; never a synchronisation


@dataclass
class Site:
    """One installation: its home directory and its database."""

    home: Path
    database_url: str | None = None  # None: the SQLite file under home
    key: str = KEY

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["COALITION_HOME"] = str(self.home)
        env["AUDIT_SIGNING_KEY"] = self.key
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    @property
    def sqlite(self) -> Path:
        return self.home / "coalition.sqlite3"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(BIN), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"coalition {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
            )
        return result

    def popen(self, *args: str) -> "subprocess.Popen[str]":
        return subprocess.Popen(
            [str(BIN), *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def counts(self) -> dict[str, int]:
        """Rows per table, read directly (not through the platform)."""
        if self.database_url is None:
            db: Any = sqlite3.connect(self.sqlite)
            tables = (
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'django_migrations'"
            )
        else:
            import psycopg

            db = psycopg.connect(self.database_url)
            tables = (
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename != 'django_migrations'"
            )
        try:
            names = [name for (name,) in db.execute(tables).fetchall()]
            return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in names}
        finally:
            db.close()


def postgres_server() -> str | None:
    """The PostgreSQL server the suite runs on (DATABASE_URL), else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


requires_postgres_server = pytest.mark.skipif(
    postgres_server() is None,
    reason="needs a PostgreSQL server (set DATABASE_URL=postgres://...); CI runs it",
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on the suite's server, dropped afterwards."""
    with postgres_database() as url:
        yield url


@contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    server = postgres_server()
    if server is None:
        pytest.skip("needs a PostgreSQL server (set DATABASE_URL=postgres://...); CI runs it")
    parts = urlsplit(server)
    name = f"{parts.path.lstrip('/') or 'coalition'}_ops_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrated_sqlite(template: Path, home: Path) -> Site:
    """A migrated SQLite site, copied from the session's template (migrating costs 10 s)."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, home / "coalition.sqlite3")
    return Site(home)


def backup_rewrite(source: Path, target: Path, change: Callable[[list[Any]], list[Any]]) -> None:
    """Copy a backup with its lines (decoded JSON) changed by `change`."""
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines]
    with gzip.open(target, "wt", encoding="utf-8") as out:
        for item in change(items):
            out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n")


def backup_header(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header: dict[str, Any] = json.loads(next(lines))
    return header


def header_counts(path: Path) -> dict[str, int]:
    return {t["table"]: t["rows"] for t in backup_header(path)["tables"]}
