"""Ops tests: the command line against databases of their own, never the test database."""

from pathlib import Path

import pytest

from tests.ops.support import Site, postgres_url  # noqa: F401 (a fixture)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly migrated SQLite file (with the shipped rates), made once per session."""
    site = Site(tmp_path_factory.mktemp("template"))
    site.run("migrate")
    return site.sqlite


@pytest.fixture(scope="session")
def demo_backup(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """A backup of the demo (with its purchase exercise) made on SQLite, once per session."""
    from tests.ops.support import migrated_sqlite

    site = migrated_sqlite(sqlite_template, tmp_path_factory.mktemp("demo"))
    site.run("demo")
    path = site.home / "demo.backup"
    site.run("backup", str(path))
    return path
