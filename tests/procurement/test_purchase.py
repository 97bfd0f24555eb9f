"""From needs to signed orders through the services: the plan built from the database,
its approval into orders and obligations, and every refusal leaving nothing written."""

from decimal import Decimal

import pytest

from coalition.audit.models import AuditEvent
from coalition.errors import Conflict, Forbidden
from coalition.finance.models import AccountBalance, Fund, LedgerTransaction
from coalition.finance.services.funds import fund_obligate
from coalition.procurement.models import Order, PlanRun, Requirement
from coalition.procurement.services import offers, orders
from tests.helpers import TEST, user_actor
from tests.procurement.purchase import FUND_MANAGER, plan_built, purchase_setup

pytestmark = pytest.mark.django_db


def balances(coalition) -> dict[tuple[str, str, str], Decimal]:
    """(fund, account kind, earmark category) -> balance of the money held (available or
    obligated), zero balances left out."""
    found: dict[tuple[str, str, str], Decimal] = {}
    rows = AccountBalance.objects.filter(
        account__fund__coalition=coalition, account__kind__in=["available", "obligated"]
    ).select_related("account__fund")
    for row in rows:
        fund = row.account.fund
        name = f"{fund.channel}:{fund.country_id or ''}".rstrip(":")
        key = (name, row.account.kind, row.account.category)
        found[key] = found.get(key, Decimal(0)) + Decimal(row.balance_minor) / 100
    return {k: v for k, v in found.items() if v}


def moved(
    before: dict[tuple[str, str, str], Decimal], after: dict[tuple[str, str, str], Decimal]
) -> dict[tuple[str, str, str], Decimal]:
    """What changed between two `balances`; it always sums to zero (money moves, none is
    made or lost)."""
    changed = {k: after.get(k, Decimal(0)) - before.get(k, Decimal(0)) for k in {*before, *after}}
    assert sum(changed.values()) == 0
    return {k: v for k, v in changed.items() if v}


def written_counts() -> tuple[int, int, int]:
    return Order.objects.count(), LedgerTransaction.objects.count(), AuditEvent.objects.count()


def test_a_plan_built_from_the_database_says_what_went_in(demo):
    purchase = purchase_setup(demo)
    run = plan_built(purchase)
    assert run.status == "done"
    assert run.source == "database"
    assert [(f["id"], f["amount"]) for f in run.scenario["funds"]] == [
        ("national:LV", "90000.00"),
        ("common-fund", "100000.00"),
        ("common-fund/tactical-recon", "300000.00"),
    ]
    # Nordic Sight has passed no test: the competition's trial quantity caps its offer.
    assert {o["id"]: o.get("max_quantity") for o in run.scenario["offers"]} == {
        "A1": None,
        "B1": None,
        "C1": 20,
    }
    assert run.inputs["left_out"] == []
    assert (run.plan["value"], run.plan["cost"], run.plan["status"]) == (
        2600,
        "420000.00",
        "optimal",
    )
    assert run.plan["separate"]["cost"] == "450000.00"


def test_approval_signs_one_order_per_offer_and_obligates_each_earmark(demo):
    purchase = purchase_setup(demo)
    run = plan_built(purchase)
    before = balances(demo)
    [order] = orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    year = purchase.today.year
    assert (order.reference, order.supplier.name, order.quantity) == (
        f"PO-{year}-0001",
        "Aerorozvidka Works",
        350,
    )
    assert (order.unit_price, order.amount, order.status) == (
        Decimal("1200.00"),
        Decimal("420000.00"),
        "signed",
    )
    assert sorted((line.requirement.reference, line.quantity) for line in order.lines.all()) == [
        ("N-1", 200),
        ("N-2", 150),
    ]
    assert moved(before, balances(demo)) == {
        ("national:LV", "available", ""): Decimal("-90000.00"),
        ("national:LV", "obligated", ""): Decimal("90000.00"),
        ("common-fund", "available", ""): Decimal("-100000.00"),
        ("common-fund", "obligated", ""): Decimal("100000.00"),
        ("common-fund", "available", "tactical-recon"): Decimal("-230000.00"),
        ("common-fund", "obligated", "tactical-recon"): Decimal("230000.00"),
    }
    references = ["N-1", "N-2"]
    assert set(
        Requirement.objects.filter(reference__in=references).values_list("reference", "status")
    ) == {
        ("N-1", "ordered"),
        ("N-2", "ordered"),
    }
    purchase.competition.refresh_from_db()
    assert purchase.competition.status == "awarded"
    event = AuditEvent.objects.filter(action="plan.approved").get()
    assert event.changes["obligated"] == "420000.00"
    run.refresh_from_db()
    assert run.approved_at is not None


def test_a_second_approval_is_refused_and_writes_nothing(demo):
    run = plan_built(purchase_setup(demo))
    orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    counts = written_counts()
    with pytest.raises(Conflict) as refused:
        orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    assert refused.value.code == "plan.already_approved"
    assert written_counts() == counts


@pytest.mark.parametrize("username", ["delegate-lv", "delegate-nl", "beneficiary-ua", "auditor"])
def test_only_the_fund_manager_approves(demo, username):
    run = plan_built(purchase_setup(demo))
    counts = written_counts()
    with pytest.raises(Forbidden):
        orders.plan_approve(actor=user_actor(username), run_id=run.pk)
    assert written_counts() == counts
    assert PlanRun.objects.get(pk=run.pk).approved_at is None


def test_money_spent_after_the_build_makes_the_plan_stale(demo):
    purchase = purchase_setup(demo)
    run = plan_built(purchase)
    fund = Fund.objects.get(coalition=demo, channel="common-fund")
    fund_obligate(
        actor=TEST,
        fund=fund,
        amount=Decimal("250000.00"),
        currency="EUR",
        on=purchase.today,
        key="other-order",
        category="tactical-recon",
    )
    counts = written_counts()
    with pytest.raises(Conflict) as refused:
        orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    assert refused.value.code == "plan.stale"
    message = str(refused.value)
    assert (
        "common-fund/tactical-recon: EUR 300,000.00 available when the plan was built, "
        "EUR 50,000.00 now" in message
    )
    assert written_counts() == counts


def test_a_failed_test_after_the_build_caps_the_supplier_and_refuses_the_plan(demo):
    purchase = purchase_setup(demo)
    run = plan_built(purchase)
    offers.trial_record(
        actor=user_actor(FUND_MANAGER),
        coalition=demo,
        supplier="Aerorozvidka Works",
        category="tactical-recon",
        outcome="failed",
        on=purchase.today,
        site="Yavoriv test range",
    )
    counts = written_counts()
    with pytest.raises(Conflict) as refused:
        orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    assert refused.value.code == "plan.stale"
    assert "offer A1: its supplier's test for the category no longer stands" in str(refused.value)
    assert "max_quantity" in str(refused.value)
    assert written_counts() == counts


def test_one_more_million_for_any_fund_covers_every_need_here(demo):
    """With little money, a million more in any one fund buys every unit still needed
    (capacity allows it): each fund's extra value is the full value minus the plan's,
    proven optimal."""
    purchase = purchase_setup(demo, amounts=("60000.00", "10000.00", "9000.00"))
    run = plan_built(purchase)
    plan = run.plan
    assert plan["status"] == "optimal"
    covered = {c["requirement"]: c["covered"] for c in plan["coverage"]}
    assert run.marginal["status"] == "done"
    assert [m["fund"] for m in run.marginal["funds"]] == [
        "national:LV",
        "common-fund",
        "common-fund/tactical-recon",
    ]
    for row in run.marginal["funds"]:
        assert (row["raise"], row["status"]) == ("1000000.00", "optimal")
        assert row["extra_value"] == 200 * 10 + 150 * 4 - plan["value"]
        assert row["extra_units"] == {
            "N-1": 200 - covered["N-1"],
            "N-2": 150 - covered["N-2"],
        }
    assert AuditEvent.objects.filter(action="plan.marginal", object_id=str(run.pk)).count() == 1
