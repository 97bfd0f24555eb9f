"""Concurrent writers on PostgreSQL never break an invariant: two pledge imports with
overlapping rows and hand-entered contributions (each then committed) against the same
coalition and the same common fund, all at once. Each reference is stored once with its
steps once, every ledger transaction balances, every stored balance equals its postings,
and the audit chain (with its state checks) verifies. The existing concurrency tests cover
overspending an earmark, replays of one ledger key, overlapping delivery manifests and
verification beside writers."""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from coalition.audit.models import AuditEvent
from coalition.audit.selectors import audit_verify
from coalition.finance.models import (
    AccountBalance,
    Contribution,
    ContributionStep,
    LedgerTransaction,
    Posting,
)
from coalition.finance.services.contributions import contribution_record, pledges_import
from coalition.governance.models import Coalition
from tests.conftest import requires_postgres
from tests.helpers import TEST

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

HEADER = "reference,date,donor,channel,status,amount,currency"


def _file(first: int, last: int) -> bytes:
    rows = [f"CC-{i},2025-03-03,DE,national,pledged,{i + 1}.00,EUR" for i in range(first, last)]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_imports_and_entries_at_once_keep_every_invariant(demo: Coalition) -> None:
    events_before = AuditEvent.objects.count()
    work: list[Callable[[], object]] = [
        lambda: pledges_import(actor=TEST, coalition=demo, data=_file(0, 40), name="a.csv"),
        lambda: pledges_import(actor=TEST, coalition=demo, data=_file(20, 60), name="b.csv"),
        lambda: [_entered(demo, i) for i in range(10)],
    ]
    barrier = threading.Barrier(len(work), timeout=300)
    errors: list[str] = []

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            job()
        except Exception as error:  # reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    imported = Contribution.objects.filter(reference__startswith="CC-")
    assert imported.count() == 60
    assert ContributionStep.objects.filter(contribution__in=imported).count() == 60
    entered = Contribution.objects.filter(reference__startswith="HAND-")
    assert sorted(entered.values_list("status", flat=True)) == ["committed"] * 10
    assert ContributionStep.objects.filter(contribution__in=entered).count() == 20
    # Both files wrote (each had rows the other did not), each entry and step once.
    assert AuditEvent.objects.count() == events_before + 2 + 20
    unbalanced = (
        Posting.objects.values("transaction_id", "currency")
        .annotate(total=Sum("amount_minor"))
        .exclude(total=0)
    )
    assert list(unbalanced) == []
    for balance in AccountBalance.objects.all():
        posted = Posting.objects.filter(
            account_id=balance.account_id, currency=balance.currency
        ).aggregate(total=Sum("amount_minor"))["total"]
        assert (balance.account_id, posted or 0) == (balance.account_id, balance.balance_minor)
    keys = list(LedgerTransaction.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys))
    report = audit_verify()
    assert report.ok, report.problems


def _entered(demo: Coalition, i: int) -> None:
    for status in ("pledged", "committed"):
        contribution_record(
            actor=TEST,
            coalition=demo,
            reference=f"HAND-{i}",
            date="2025-04-01",
            donor="NL",
            channel="common-fund",
            status=status,
            amount=Decimal("100.00") + i,
            currency="EUR",
        )
