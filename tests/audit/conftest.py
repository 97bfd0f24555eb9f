"""The audit tests count events and name them by seq from an empty chain."""

import pytest


@pytest.fixture(autouse=True)
def _empty_chain(request: pytest.FixtureRequest) -> None:
    """The test database may hold a chain already (the demo, loaded once per session):
    a test in a rolled-back transaction starts from an empty one instead, and the rollback
    brings the other back. Tests that ask for the demo keep its chain. An emptied chain no
    longer describes the demo's state in the database, so those tests check the chain
    alone (the state checks have tests of their own, on the demo)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or marker.kwargs.get("transaction") or "demo" in request.fixturenames:
        return
    request.getfixturevalue("db")
    from tests.audit.support import sql

    sql("DELETE FROM audit_auditevent")  # past the append-only trigger (PostgreSQL)
    sql("DELETE FROM audit_audithead")
    from coalition.audit import selectors

    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setattr(selectors, "CHECKS", [selectors.head_check, selectors.anchors_check])
