"""The demo's worked purchase example (coalition.demo.exercise): the EUR 20 M ISR drone
competition from the money to signed orders, every figure computed by hand from the tiers.

By hand. Day 0 is 31 Mar 2025, when the plan is built and approved; the needs are due on
30 Jun (day 91), 30 Sep (day 183) and 15 Dec 2025 (day 259): 1,500 + 1,500 + 1,000 units
at weights 10, 6 and 3, value 15,000 + 9,000 + 3,000 = 27,000 when all are covered.

- ISR-A (Zoria, EUR 6,500 / 6,100 from 1,000 / 5,600 from 3,500) is the cheapest for
  everything it can deliver: from day 30 at 600 a month, by day 91 floor(600 x 61 / 30) =
  1,220 units, by day 183 3,060, by day 259 4,580. So it takes 1,220 of ISR-UA-1 and all
  of ISR-UA-2 and ISR-UA-3: 3,720 units, at 5,600 (>= 3,500): EUR 20,832,000.
- ISR-UA-1's other 280 units: Polder's ISR-D at 5,900, untested so capped at the trial
  quantity, 100 units: EUR 590,000; Steppe's ISR-B 180 units at 6,900 (under its 400-unit
  tier): EUR 1,242,000. Dearer ways: ISR-C 180 at 7,200 (1,296,000); ISR-B's 400-unit
  tier with ISR-A cut to 3,500: 2,560,000 + 19,600,000 + 590,000 = 22,750,000.
- Pooled cost 20,832,000 + 1,242,000 + 590,000 = EUR 22,664,000. Money: EUR 25 M (the
  common fund's 20 M, 5 M of it unearmarked, Latvia's programme 2 M, the Netherlands' 3 M).
- Payments use the funds in the scenario's order, each to its end: Latvia 2,000,000,
  the common fund 5,000,000 and 15,000,000 (earmarked), the Netherlands 664,000; EUR
  2,336,000 stays in the Netherlands' programme.
- Buying separately, no fund reaches ISR-A's 3,500-unit price (19,600,000 > 15,000,000,
  the largest fund): the solver's proven best is the same value for EUR 24,831,500, so
  pooling saves EUR 2,167,500.
"""

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from coalition.audit.models import AuditEvent
from coalition.demo import exercise
from coalition.demo.services import demo_load, exercise_load
from coalition.finance.models import AccountBalance, Contribution, LedgerTransaction
from coalition.governance.models import Coalition
from coalition.procurement.models import (
    Competition,
    Order,
    Participation,
    PlanRun,
    Requirement,
    Review,
    Supplier,
    TrialResult,
)

pytestmark = pytest.mark.django_db

ZORIA = "Zoria Recon Systems (illustrative)"
STEPPE = "Steppe Eye Drones (illustrative)"
POLDER = "Polder UAS (illustrative)"

ORDERS = [  # supplier, units, unit price, amount
    (ZORIA, 3720, Decimal("5600.00"), Decimal("20832000.00")),
    (STEPPE, 180, Decimal("6900.00"), Decimal("1242000.00")),
    (POLDER, 100, Decimal("5900.00"), Decimal("590000.00")),
]
FUNDINGS = {  # supplier: [(fund, earmark, amount)]
    ZORIA: [
        ("national:LV", "", Decimal("2000000.00")),
        ("common-fund", "", Decimal("5000000.00")),
        ("common-fund", "tactical-recon", Decimal("13832000.00")),
    ],
    STEPPE: [
        ("common-fund", "tactical-recon", Decimal("1168000.00")),
        ("national:NL", "", Decimal("74000.00")),
    ],
    POLDER: [("national:NL", "", Decimal("590000.00"))],
}
OBLIGATED = {  # (fund, earmark): amount
    ("national:LV", ""): Decimal("2000000.00"),
    ("common-fund", ""): Decimal("5000000.00"),
    ("common-fund", "tactical-recon"): Decimal("15000000.00"),
    ("national:NL", ""): Decimal("664000.00"),
}


@pytest.fixture
def run(demo: Coalition) -> PlanRun:
    """The exercise on the session's demo (which `demo_load()` loads without it)."""
    return exercise_load(demo)


def _balances(coalition: Coalition, kind: str) -> dict[tuple[str, str], Decimal]:
    rows = AccountBalance.objects.filter(
        account__fund__coalition=coalition, account__kind=kind
    ).select_related("account__fund")
    found: dict[tuple[str, str], Decimal] = {}
    for row in rows:
        key = (row.account.fund.code, row.account.category)
        found[key] = found.get(key, Decimal(0)) + Decimal(row.balance_minor) / 100
    return {k: v for k, v in found.items() if v}


def test_the_competition_is_awarded_with_the_orders_computed_by_hand(
    demo: Coalition, run: PlanRun
) -> None:
    competition = Competition.objects.get(coalition=demo, reference="DC-ISR-2025")
    assert (competition.status, competition.budget, competition.currency) == (
        "awarded",
        Decimal("20000000.00"),
        "EUR",
    )
    assert (competition.bid_deadline.isoformat(), competition.trial_quantity) == (
        "2025-03-21",
        100,
    )
    orders = list(Order.objects.filter(coalition=demo).select_related("supplier").order_by("id"))
    assert [(o.supplier.name, o.quantity, o.unit_price, o.amount) for o in orders] == ORDERS
    assert {(o.signed_on.isoformat(), o.currency) for o in orders} == {("2025-03-31", "EUR")}
    # Steppe Eye's and Polder's were delivered, paid and closed; Zoria's is still running.
    assert [o.status for o in orders] == ["signed", "closed", "closed"]
    # Numbered in sequence within the year, with no gaps.
    assert [o.reference for o in orders] == ["PO-2025-0001", "PO-2025-0002", "PO-2025-0003"]
    assert sum(o.amount for o in orders) == Decimal("22664000.00")
    lines = {
        o.supplier.name: sorted(
            (line.requirement.reference, line.quantity, line.due.isoformat())
            for line in o.lines.select_related("requirement")
        )
        for o in orders
    }
    assert lines == {
        ZORIA: [
            ("ISR-UA-1", 1220, "2025-06-30"),
            ("ISR-UA-2", 1500, "2025-09-30"),
            ("ISR-UA-3", 1000, "2025-12-15"),
        ],
        STEPPE: [("ISR-UA-1", 180, "2025-06-30")],
        POLDER: [("ISR-UA-1", 100, "2025-06-30")],
    }
    statuses = Requirement.objects.filter(coalition=demo).values_list("reference", "status")
    # Then delivered (test_deliveries.py): Zoria's 2,800 of 3,720 fill its ISR-UA-1 and
    # ISR-UA-2 lines and 80 of ISR-UA-3's 1,000.
    assert sorted(statuses) == [
        ("ISR-UA-1", "delivered"),
        ("ISR-UA-2", "delivered"),
        ("ISR-UA-3", "partly-delivered"),
    ]


def test_the_obligations_are_the_orders_amounts_fund_by_fund(demo: Coalition, run: PlanRun) -> None:
    orders = Order.objects.filter(coalition=demo).select_related("supplier")
    fundings = {
        o.supplier.name: [
            (f.fund.code, f.category, f.amount)
            for f in o.fundings.select_related("fund").order_by("fund_id", "category")
        ]
        for o in orders
    }
    assert fundings == FUNDINGS
    for order in orders:
        assert sum(f.amount for f in order.fundings.all()) == order.amount
    assert sum(OBLIGATED.values()) == sum(o.amount for o in orders)
    # Since signing, payments moved money from obligated to paid (test_deliveries.py):
    # every euro obligated then is obligated or paid now, earmark by earmark.
    now, paid = _balances(demo, "obligated"), _balances(demo, "paid")
    assert {k: now.get(k, 0) + paid.get(k, 0) for k in OBLIGATED} == OBLIGATED
    # The common fund and Latvia's programme are spent to the cent; what the plan did not
    # need stays in the Netherlands' programme, the last of the scenario's funds.
    assert _balances(demo, "available") == {("national:NL", ""): Decimal("2336000.00")}
    keys = set(orders[0].fundings.values_list("obligation_key", flat=True))
    assert keys <= set(LedgerTransaction.objects.values_list("idempotency_key", flat=True))


def test_the_plan_is_approved_proven_optimal_and_pooling_saves(
    demo: Coalition, run: PlanRun
) -> None:
    assert (run.status, run.source, run.built_on.isoformat() if run.built_on else None) == (
        "done",
        "database",
        "2025-03-31",
    )
    assert run.approved_at is not None
    plan: dict[str, Any] = run.plan or {}
    assert (plan["status"], plan["value"], plan["cost"]) == ("optimal", 27000, "22664000.00")
    separate = plan["separate"]
    assert (separate["status"], separate["value"], separate["cost"]) == (
        "optimal",
        27000,
        "24831500.00",
    )
    assert Decimal(separate["cost"]) - Decimal(plan["cost"]) == Decimal("2167500.00")
    assert plan["solver"]["seconds"] < exercise.TIME_LIMIT
    assert [(f["id"], f["amount"]) for f in run.scenario["funds"]] == [
        ("national:LV", "2000000.00"),
        ("common-fund", "5000000.00"),
        ("common-fund/tactical-recon", "15000000.00"),
        ("national:NL", "3000000.00"),
    ]
    # Polder UAS has passed no test: the trial quantity caps its offer.
    assert {o["id"]: o.get("max_quantity") for o in run.scenario["offers"]} == {
        "ISR-A": None,
        "ISR-B": None,
        "ISR-C": None,
        "ISR-D": 100,
    }
    assert run.inputs["left_out"] == []
    joined = Participation.objects.filter(competition__reference="DC-ISR-2025")
    assert sorted((p.fund.code, p.joined_by.username if p.joined_by else "") for p in joined) == [
        ("national:LV", "delegate-lv"),
        ("national:NL", "delegate-nl"),
    ]


def test_every_invented_record_is_marked(demo: Coalition, run: PlanRun) -> None:
    made_up = Contribution.objects.filter(coalition=demo, source__key="demo-exercise")
    assert sorted(made_up.values_list("reference", flat=True)) == sorted(
        r for r, *_ in exercise.CONTRIBUTIONS
    )
    assert all("illustrative" in c.note.lower() for c in made_up)
    common = made_up.filter(channel="common-fund")
    assert sorted(common.values_list("donor_id", flat=True)) == ["GB", "LV", "NL", "NZ", "SE"]
    assert all("sources differ" in c.note for c in common)
    for contribution in made_up:
        steps = contribution.steps.order_by("date")
        assert [(s.status, s.date.isoformat()) for s in steps if not s.implied] == [
            ("pledged", "2025-02-14"),
            ("disbursed", "2025-03-03"),
        ]
    common_total = sum((c.steps.get(status="disbursed").amount for c in common), Decimal(0))
    assert common_total == Decimal("20000000.00")
    earmarked = sum(
        (c.steps.get(status="disbursed").amount for c in common.filter(category="tactical-recon")),
        Decimal(0),
    )
    assert earmarked == Decimal("15000000.00")
    # The demo's facts have no procurement: every procurement record is the exercise's.
    assert all("illustrative" in r.note.lower() for r in Requirement.objects.all())
    assert all("(illustrative)" in s.name for s in Supplier.objects.all())
    assert all(
        "illustrative" in t.note.lower() and "illustrative" in t.site.lower()
        for t in TrialResult.objects.all()
    )
    assert Review.objects.count() == 2
    assert all("illustrative" in r.comment.lower() for r in Review.objects.all())
    assert all(
        "illustrative" in p.name and "sources differ" in p.name for p in PlanRun.objects.all()
    )
    closed = AuditEvent.objects.get(action="competition.closed")
    assert "Illustrative" in closed.changes["note"] and "sources differ" in closed.changes["note"]


def test_the_reported_facts_are_left_as_they_were(demo: Coalition, run: PlanRun) -> None:
    reported = Contribution.objects.filter(coalition=demo).exclude(source__key="demo-exercise")
    assert sorted(reported.values_list("reference", "status")) == [
        ("LV-2025-drones", "pledged"),
        ("LV-2025-ua-industry", "pledged"),
    ]
    drones = reported.get(reference="LV-2025-drones")
    assert [(s.status, s.amount) for s in drones.steps.all()] == [
        ("pledged", Decimal("20000000.00"))
    ]


def test_the_demo_with_its_exercise_loads_in_one_transaction(
    demo: Coalition, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_command("flush", interactive=False, verbosity=0)

    def refused(**_: object) -> None:
        raise RuntimeError("approval refused")

    monkeypatch.setattr("coalition.demo.services.orders.plan_approve", refused)
    with pytest.raises(RuntimeError, match="approval refused"):
        demo_load(with_exercise=True)
    # The last step failed: nothing of the demo, its money or its exercise is left.
    assert not Coalition.objects.exists()
    assert not Contribution.objects.exists()
    assert not LedgerTransaction.objects.exists()
    assert not Requirement.objects.exists() and not PlanRun.objects.exists()
    assert not AuditEvent.objects.exists()
    monkeypatch.undo()
    coalition = demo_load(with_exercise=True)
    assert Competition.objects.get(coalition=coalition).status == "awarded"
    assert Order.objects.filter(coalition=coalition).count() == 3
    loaded = AuditEvent.objects.get(action="demo.loaded")
    assert "illustrative" in loaded.changes["exercise"]


@pytest.mark.django_db(
    transaction=True
)  # demo --reset flushes, which PostgreSQL refuses mid-transaction
def test_the_demo_command_loads_the_exercise_unless_facts_only(
    demo: Coalition, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("demo", "--reset", "--facts-only")
    assert "illustrative" not in capsys.readouterr().out
    assert not Competition.objects.exists() and not Order.objects.exists()
    call_command("demo", "--reset")
    out = capsys.readouterr().out
    assert "and its illustrative purchase exercise (DC-ISR-2025)" in out
    assert Competition.objects.get().status == "awarded"
    assert Order.objects.count() == 3


def test_every_page_says_the_exercise_is_illustrative_when_it_is_loaded(
    demo: Coalition, client: Client
) -> None:
    banner = 'data-testid="illustrative"'
    assert banner not in client.get("/").content.decode()
    exercise_load(demo)
    for path in ("/", "/coalitions/drone-coalition/", "/login/"):
        page = client.get(path).content.decode()
        assert banner in page, path
        assert "invented to show the platform" in page
    client.cookies["django_language"] = "fr"
    assert "un exercice d" in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
