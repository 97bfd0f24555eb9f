"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
DATABASE_URL points there (see .ci/run)."""

import shutil
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from ninja.testing import TestClient

CHROMIUM = "/usr/bin/chromium"


hypothesis_settings.register_profile(
    "ci",
    # Two shared cores: a slow example is not a failure, and the same examples each run.
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    database=None,
)
hypothesis_settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Most tests log in with client.login() (no request for django-axes) and as the chair
    # or fund manager without a TOTP device: tests/security/test_login*.py turn both on.
    settings.AXES_ENABLED = False
    settings.COALITION_REQUIRE_2FA = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Transactional tests flush the database after them; writing the 221,702 shipped ECB
    # rates back each time would cost a second or more a test. None of them converts a
    # foreign currency; one that does loads the rates itself (`rates_load`).
    settings.SHIPPED_RATES_AFTER_FLUSH = False
    # The apps' own static files under their plain names, never the hashed copies that an
    # earlier `make run` collected into var/static (stale after an edit).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }


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


# Set once the test database exists and holds the demo: until then the connection still
# names the configured database, which must never be written.
_blocker: list[Any] = []
# Whether a transactional test has run in this process since the session's data (the
# shipped rates, the demo) were last known to be there.
_flushed: list[bool] = [False]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The demo is loaded once per test session (per worker), into the test database;
    each test runs in a transaction that is rolled back, so it sees the demo unchanged.
    A transactional test empties the database instead: see pytest_runtest_setup."""
    from coalition.demo.services import demo_load

    with django_db_blocker.unblock():
        demo_load()
    _blocker.append(django_db_blocker)


def _db_use(item: pytest.Item) -> tuple[bool, bool]:
    """(uses the database, transactionally) for a test item, as pytest-django decides."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    transactional = bool(
        marker is not None
        and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    ) or any(name in fixtures for name in ("transactional_db", "live_server"))
    return marker is not None or "db" in fixtures or transactional, transactional


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """A transactional test empties the database when it ends (flush)."""
    if _db_use(item)[1]:
        _flushed[0] = True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Put the session's data back for good, outside any test's transaction, before the
    first plain database test that follows a transactional one in this process. Decided
    here rather than when the transactional test ends: pytest-django runs those last,
    but a worker of pytest-xdist (--dist worksteal) may be given plain tests after them,
    and tests without the database may come in between."""
    if not _flushed[0] or not _blocker or _db_use(item) != (True, False):
        return
    from coalition.demo.services import demo_is_loaded, demo_load
    from coalition.finance.models import Rate, RateLoad
    from coalition.finance.shipped_rates import shipped_rates_load

    with _blocker[0].unblock():
        if not Rate.objects.exists():
            shipped_rates_load(load_model=RateLoad)
        if not demo_is_loaded():
            demo_load()
    _flushed[0] = False


@pytest.fixture
def demo(db: None) -> object:
    """The drone coalition. Transactional tests flush the database after them, so for
    those the demo is loaded again when it is gone."""
    from coalition.demo.services import demo_is_loaded, demo_load
    from coalition.governance.models import Coalition

    if demo_is_loaded():
        return Coalition.objects.get(slug="drone-coalition")
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


@pytest.fixture(autouse=True)
def _fresh_read_cache() -> None:
    """The API's read cache (coalition.api_cache) is keyed by the audit head; tests roll
    back their writes, and some set up rows directly without an audit event, so every
    test starts with an empty cache rather than one keyed by a head it shares."""
    from django.core.cache import cache

    cache.clear()
