"""Concurrent last votes on PostgreSQL: the application row lock lets exactly one decide."""

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection

from coalition.audit.models import AuditEvent
from coalition.audit.selectors import audit_verify
from coalition.errors import DomainError
from coalition.governance.models import Application, Membership
from tests.conftest import requires_postgres
from tests.governance.accession_helpers import (
    DEMO_ELECTORATE,
    apply,
    drone,
    pending_of,
    small_coalition,
    vote,
)
from tests.helpers import TEST

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def race(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except DomainError as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def decisions(application: Application) -> list[dict[str, object]]:
    events = AuditEvent.objects.filter(object_type="application", object_id=str(application.pk))
    return [e.changes["decision"] for e in events if e.changes.get("decision")]


@pytest.mark.parametrize("round_", range(3))
def test_the_last_two_approvals_at_once_decide_once(demo: object, round_: int) -> None:
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE[:-2]:
        vote(tr, code)
    last_two = DEMO_ELECTORATE[-2:]
    results = race([lambda code=code: vote(tr, code) for code in last_two])
    assert not [r for r in results if isinstance(r, DomainError)]
    tr.refresh_from_db()
    assert tr.status == "approved" and tr.votes.count() == 18
    assert len(decisions(tr)) == 1
    assert Membership.objects.filter(coalition=drone(), country="TR", role="member").count() == 1
    assert audit_verify().ok


def test_two_deciding_votes_at_once_one_decides_the_other_is_refused(db: None) -> None:
    coalition = small_coalition(
        members=["AT", "BG", "HR", "CY", "FI"], rule="qualified-majority", threshold="0.6"
    )
    application = apply(coalition, "IE", submitted=dt.date(2025, 1, 10))
    vote(application, "AT")
    vote(application, "BG")
    # Either of the next two approvals makes 3 of 5: the first decides, the second finds
    # the application decided.
    results = race([lambda code=code: vote(application, code) for code in ["HR", "CY"]])
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].status == 409
    application.refresh_from_db()
    assert application.status == "approved" and application.votes.count() == 3
    assert len(decisions(application)) == 1
    assert Membership.objects.filter(coalition=coalition, country="IE", role="member").count() == 1
    assert audit_verify().ok


def test_a_withdrawal_racing_the_last_vote_leaves_one_outcome(demo: object) -> None:
    from coalition.governance.services.accession import application_withdraw

    tr = pending_of("TR")
    for code in DEMO_ELECTORATE[:-1]:
        vote(tr, code)
    results = race(
        [
            lambda: vote(tr, DEMO_ELECTORATE[-1]),
            lambda: application_withdraw(actor=TEST, application=tr, on=dt.date(2025, 6, 2)),
        ]
    )
    assert len([r for r in results if isinstance(r, DomainError)]) == 1
    tr.refresh_from_db()
    members = Membership.objects.filter(coalition=drone(), country="TR", role="member").count()
    assert (tr.status, members) in {("approved", 1), ("withdrawn", 0)}
    assert audit_verify().ok
