"""The demo's worked exercise after signing (coalition.demo.exercise): what arrived, was
inspected, paid and closed, pinned through the reconciliation.

By hand. Zoria (3,720 at EUR 5,600; lines ISR-UA-1 1,220 by 30 Jun, ISR-UA-2 1,500 by
30 Sep, ISR-UA-3 1,000 by 15 Dec 2025) delivers 600 on 2 May, 2 Jun, 2 Jul and 4 Aug and
400 on 15 Sep: 2,800. By 30 June 1,200 of ISR-UA-1's 1,220 had come, so 20 are late; the
next 1,500 cover ISR-UA-2 on time (1,180 of them accepted: 320 are of the fifth lot);
ISR-UA-3 gets 80 and misses 920: 940 late. Four lots
accepted (2,400 = EUR 13,440,000), 1,800 paid (EUR 10,080,000), so EUR 3,360,000 is
accepted and unpaid; counted from the oldest, 1,000 items delivered more than 30 days ago
are unpaid, the oldest from 4 Aug (EUR 5,600,000).
Steppe Eye: 180 delivered, accepted, paid (EUR 1,242,000) and closed.
Polder UAS: 100 delivered, four rejected (failed inspection) and replaced on 10 Jun, 100
accepted, paid in two parts (EUR 566,400 + 23,600 = 590,000) and closed.
"""

from datetime import date
from decimal import Decimal

import pytest

from coalition.demo.services import exercise_load
from coalition.governance.models import Coalition
from coalition.procurement.models import DeliveredItem, Order, Payment
from coalition.procurement.selectors_reconcile import reconciliation
from tests.helpers import user_actor

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)  # any day after 15 Dec 2025 gives the same figures


@pytest.fixture
def loaded(demo: Coalition) -> Coalition:
    exercise_load(demo)
    return demo


def test_each_order_reconciled(loaded: Coalition) -> None:
    r = reconciliation(actor=user_actor("auditor"), coalition=loaded, today=TODAY)
    rows = {
        c.order.reference: (
            c.order.status,
            c.tally.ordered,
            c.tally.delivered,
            c.tally.accepted,
            c.tally.rejected,
            c.tally.awaiting,
            c.tally.outstanding,
            c.tally.late,
            c.tally.paid_minor["EUR"],
            c.tally.unpaid_minor()["EUR"],
        )
        for c in r.orders
    }
    assert rows == {
        "PO-2025-0001": ("signed", 3720, 2800, 2400, 0, 400, 920, 940, 1_008_000_000, 336_000_000),
        "PO-2025-0002": ("closed", 180, 180, 180, 0, 0, 0, 0, 124_200_000, 0),
        "PO-2025-0003": ("closed", 100, 104, 100, 4, 0, 0, 0, 59_000_000, 0),
    }


def test_late_and_unpaid_are_listed(loaded: Coalition) -> None:
    r = reconciliation(actor=user_actor("auditor"), coalition=loaded, today=TODAY, days=30)
    assert [(d.kind, d.order.reference, d.units, d.since, d.minor) for d in r.discrepancies] == [
        ("unpaid", "PO-2025-0001", 1000, date(2025, 8, 4), 560_000_000)
    ]
    needs = {q.reference: (t.ordered, t.delivered, t.accepted, t.late) for q, t in r.requirements}
    assert needs == {
        "ISR-UA-1": (1500, 1500, 1500, 20),
        "ISR-UA-2": (1500, 1500, 1180, 0),  # 320 of the fifth lot await inspection
        "ISR-UA-3": (1000, 80, 0, 920),
    }


def test_the_rejected_four_are_replaced(loaded: Coalition) -> None:
    rejected = DeliveredItem.objects.filter(status="rejected").order_by("serial")
    assert [(i.serial, i.inspection.reason) for i in rejected] == [  # type: ignore[union-attr]
        (s, "failed-inspection") for s in ("PUAS-01007", "PUAS-01023", "PUAS-01058", "PUAS-01091")
    ]
    assert [(i.serial, i.replaced_by.serial) for i in rejected] == [
        ("PUAS-01007", "PUAS-01101"),
        ("PUAS-01023", "PUAS-01102"),
        ("PUAS-01058", "PUAS-01103"),
        ("PUAS-01091", "PUAS-01104"),
    ]


def test_payments_and_closing_in_the_ledger(loaded: Coalition) -> None:
    paid = Payment.objects.filter(coalition=loaded).order_by("paid_on", "reference")
    assert [(p.reference, p.order.reference, p.amount) for p in paid] == [
        ("PAY-2025-001", "PO-2025-0002", Decimal("1242000.00")),
        ("PAY-2025-002", "PO-2025-0003", Decimal("566400.00")),
        ("PAY-2025-003", "PO-2025-0001", Decimal("6720000.00")),
        ("PAY-2025-004", "PO-2025-0003", Decimal("23600.00")),
        ("PAY-2025-005", "PO-2025-0001", Decimal("3360000.00")),
    ]
    r = reconciliation(actor=user_actor("auditor"), coalition=loaded, today=TODAY)
    funds = {(f.fund.code, f.currency): (f.ordered_minor, f.paid_minor) for f in r.funds}
    # 1,242,000 + 566,400 + 6,720,000 + 23,600 + 3,360,000, out of the funds the plan named
    assert sum(p for _o, p in funds.values()) == 1_191_200_000
    assert Order.objects.get(reference="PO-2025-0002").closed_on == date(2025, 5, 20)


def test_the_reconciliation_page_reads_as_a_person_would(client, loaded: Coalition) -> None:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="auditor"))
    html = client.get(f"/coalitions/{loaded.slug}/reconciliation/").content.decode()
    assert ">3,720<" in html and ">20,832,000.00<" in html
    assert "1,000 items delivered more than 30 days ago are not paid (the oldest on " in html
    assert 'data-discrepancies="1"' in html
    export = client.get(f"/coalitions/{loaded.slug}/reconciliation/?export=csv&table=orders")
    lines = export.content.decode().splitlines()
    assert lines[1].startswith("PO-2025-0001,Zoria Recon Systems (illustrative),3720,2800,2400,")
    assert lines[1].endswith(",EUR,20832000.00,13440000.00,10080000.00,3360000.00")
