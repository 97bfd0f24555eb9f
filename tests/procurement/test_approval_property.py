"""Property: approving any plan the checker accepts leaves no earmark below zero and
obligates exactly the plan's payments, to the cent, fund by fund."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.finance.models import AccountBalance
from coalition.procurement.models import OrderFunding
from coalition.procurement.services import orders
from tests.helpers import user_actor
from tests.procurement.purchase import FUND_MANAGER, plan_built, purchase_setup

pytestmark = pytest.mark.django_db


class _RolledBack(Exception):
    """Raised to undo one example's writes."""


euros = st.integers(min_value=1, max_value=400_000).map(lambda n: f"{n}.{n % 100:02d}")


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    amounts=st.tuples(euros, euros, euros),
    quantities=st.tuples(st.integers(1, 400), st.integers(1, 400)),
)
def test_approval_obligates_the_plan_payments_exactly(demo, amounts, quantities):
    try:
        with transaction.atomic():
            _approve_and_check(demo, amounts, quantities)
            raise _RolledBack
    except _RolledBack:
        pass


def _approve_and_check(demo, amounts, quantities) -> None:
    run = plan_built(purchase_setup(demo, amounts=amounts, quantities=quantities))
    assert run.status == "done", run.error
    signed = orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    negative = AccountBalance.objects.filter(
        account__fund__coalition=demo, account__kind="available", balance_minor__lt=0
    )
    assert not negative.exists()
    planned = Counter[str]()
    for payment in run.plan["payments"]:
        planned[payment["fund"]] += int(Decimal(payment["amount"]) * 100)
    fund_ids = {spec["fund"]: sid for sid, spec in run.inputs["funds"].items()}
    obligated = Counter[str]()
    for funding in OrderFunding.objects.filter(order__in=signed).select_related("fund"):
        sid = _scenario_id(run.inputs["funds"], funding)
        assert funding.fund_id in fund_ids
        obligated[sid] += funding.amount_minor
    assert +obligated == +planned
    assert sum(o.amount_minor for o in signed) == int(Decimal(run.plan["cost"]) * 100)
    assert {o.offer.reference: o.quantity for o in signed} == {
        order["offer"]: order["quantity"] for order in run.plan["orders"]
    }


def _scenario_id(funds: dict[str, dict], funding: OrderFunding) -> str:
    [sid] = [
        sid
        for sid, spec in funds.items()
        if (spec["fund"], spec["category"], spec["origin"])
        == (funding.fund_id, funding.category, funding.origin)
    ]
    return sid
