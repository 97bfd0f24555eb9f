"""Amending and cancelling signed orders: the ledger follows by reversal and a new
obligation, never by editing; refused changes write nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest

from coalition.errors import Forbidden, InvalidInput
from coalition.finance.models import LedgerTransaction
from coalition.procurement.models import Order, OrderRevision, Requirement
from coalition.procurement.services import order_changes, orders
from tests.helpers import user_actor
from tests.procurement.purchase import FUND_MANAGER, plan_built, purchase_setup
from tests.procurement.test_purchase import balances, moved, written_counts

pytestmark = pytest.mark.django_db


def _signed(demo) -> Order:
    run = plan_built(purchase_setup(demo))
    [order] = orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    return order


def _amend(demo, order: Order, **change: object) -> Order:
    return order_changes.order_amend(
        actor=user_actor(FUND_MANAGER),
        coalition=demo,
        reference=order.reference,
        reason="The supplier cannot make more this year",
        **change,  # type: ignore[arg-type]
    )


def _status(reference: str) -> str:
    return Requirement.objects.get(reference=reference).status


def test_fewer_units_release_the_money_of_the_last_funding_by_reversal(demo):
    order = _signed(demo)
    before = balances(demo)
    keys = set(order.fundings.values_list("obligation_key", flat=True))
    amended = _amend(demo, order, quantity=300)
    assert (amended.quantity, amended.unit_price, amended.amount, amended.revision) == (
        300,
        Decimal("1200.00"),
        Decimal("360000.00"),
        1,
    )
    assert moved(before, balances(demo)) == {
        ("common-fund", "available", "tactical-recon"): Decimal("60000.00"),
        ("common-fund", "obligated", "tactical-recon"): Decimal("-60000.00"),
    }
    # The first obligations stand in the ledger, each with its reversal beside it.
    stored = set(LedgerTransaction.objects.values_list("idempotency_key", flat=True))
    assert keys <= stored
    assert {k + ":reversed" for k in keys} <= stored
    assert sorted((line.requirement.reference, line.quantity) for line in amended.lines.all()) == [
        ("N-1", 200),
        ("N-2", 100),
    ]
    assert [r.reason for r in OrderRevision.objects.filter(order=order).order_by("number")] == [
        "signed",
        "The supplier cannot make more this year",
    ]


def test_an_amendment_that_would_cost_more_is_refused_and_writes_nothing(demo):
    order = _signed(demo)
    _amend(demo, order, quantity=100)
    counts = written_counts()
    with pytest.raises(InvalidInput) as refused:
        _amend(demo, order, quantity=99)  # below the 100-unit tier: 99 x 1,500 > 100 x 1,200
    assert str(refused.value) == (
        "at 99 units the unit price rises to 1,500.00: the order would cost more, not less"
    )
    assert written_counts() == counts


@pytest.mark.parametrize("quantity", [350, 351, 0])
def test_an_amendment_only_lowers_the_quantity(demo, quantity):
    order = _signed(demo)
    counts = written_counts()
    with pytest.raises(InvalidInput) as refused:
        _amend(demo, order, quantity=quantity)
    assert refused.value.field == "quantity"
    assert written_counts() == counts


def test_a_new_schedule_moves_due_dates_but_never_before_signing(demo):
    order = _signed(demo)
    later = order.signed_on + timedelta(days=200)
    _amend(demo, order, schedule={"N-2": later.isoformat()})
    assert order.lines.get(requirement__reference="N-2").due == later
    counts = written_counts()
    with pytest.raises(InvalidInput) as refused:
        _amend(demo, order, schedule={"N-1": order.signed_on - timedelta(days=1)})
    assert f"due before the order was signed ({order.signed_on})" in str(refused.value)
    assert written_counts() == counts


def test_cancelling_gives_every_euro_back_and_reopens_the_needs(demo):
    before_setup = balances(demo)
    order = _signed(demo)
    obligated = balances(demo)
    cancelled = order_changes.order_cancel(
        actor=user_actor(FUND_MANAGER),
        coalition=demo,
        reference=order.reference,
        reason="Export licence refused",
    )
    assert cancelled.status == "cancelled"
    released = moved(obligated, balances(demo))
    assert released == {
        ("national:LV", "available", ""): Decimal("90000.00"),
        ("national:LV", "obligated", ""): Decimal("-90000.00"),
        ("common-fund", "available", ""): Decimal("100000.00"),
        ("common-fund", "obligated", ""): Decimal("-100000.00"),
        ("common-fund", "available", "tactical-recon"): Decimal("230000.00"),
        ("common-fund", "obligated", "tactical-recon"): Decimal("-230000.00"),
    }
    assert (_status("N-1"), _status("N-2")) == ("open", "open")
    after = balances(demo)
    assert {k: v for k, v in after.items() if k not in before_setup} == {
        ("national:LV", "available", ""): Decimal("90000.00"),
        ("common-fund", "available", ""): Decimal("100000.00"),
        ("common-fund", "available", "tactical-recon"): Decimal("300000.00"),
    }  # the pledged money, all of it available again


@pytest.mark.parametrize("username", ["delegate-lv", "delegate-nl", "beneficiary-ua", "auditor"])
def test_only_the_fund_manager_changes_orders(demo, username):
    order = _signed(demo)
    counts = written_counts()
    with pytest.raises(Forbidden):
        order_changes.order_cancel(
            actor=user_actor(username), coalition=demo, reference=order.reference, reason="No"
        )
    assert written_counts() == counts
