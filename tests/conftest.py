"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
DATABASE_URL points there (see .ci/run)."""

import shutil

import pytest
from django.conf import settings
from django.db import connection
from ninja.testing import TestClient

CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"database: {settings.DATABASES['default']['ENGINE']}"]
    if not shutil.which(CHROMIUM):
        lines.append(
            "!!! BROWSER TESTS SKIPPED: /usr/bin/chromium is missing (apt-get install chromium) !!!"
        )
    return lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not shutil.which(CHROMIUM):
        terminalreporter.write_sep(
            "!", "BROWSER TESTS DID NOT RUN: /usr/bin/chromium is missing", red=True, bold=True
        )


@pytest.fixture
def demo(db: None) -> object:
    from coalition.demo.services import demo_load

    return demo_load()


@pytest.fixture
def api_client() -> TestClient:
    from coalition.api import api

    return TestClient(api)


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


requires_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (set DATABASE_URL); CI runs it",
)
