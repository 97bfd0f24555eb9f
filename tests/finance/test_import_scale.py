"""Attack report, defect 1: re-importing a file with 999 or more known references failed
on SQLite ("Expression tree is too large") with a 500. Now 5,000 rows import, and the
same file again changes nothing, on both databases."""

import pytest

from coalition.audit.models import AuditEvent
from coalition.finance.models import Contribution, ContributionStep, LedgerTransaction
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from tests.helpers import TEST

pytestmark = pytest.mark.django_db

ROWS = 5000


def _file() -> bytes:
    lines = ["reference,date,donor,channel,status,amount,currency"]
    lines += [f"SCALE-{i},2025-03-03,DE,national,pledged,{i + 1}.00,EUR" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def test_five_thousand_rows_twice(demo: Coalition) -> None:
    data = _file()
    first = pledges_import(actor=TEST, coalition=demo, data=data, name="scale.csv")
    assert (first.rows, first.contributions, len(first.steps)) == (ROWS, ROWS, ROWS)
    counts = (
        Contribution.objects.count(),
        ContributionStep.objects.count(),
        LedgerTransaction.objects.count(),
        AuditEvent.objects.count(),
    )
    again = pledges_import(actor=TEST, coalition=demo, data=data, name="scale.csv")
    assert (again.rows, again.changed) == (ROWS, False)
    assert (
        Contribution.objects.count(),
        ContributionStep.objects.count(),
        LedgerTransaction.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
