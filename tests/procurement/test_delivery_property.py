"""Property: no sequence of deliveries (with replacements of rejected serials),
acceptances, rejections, payments (replays, conflicts and overpayments included) and a
closing, refused steps included, breaks "paid <= accepted x price <= ordered x price";
the ledger's paid-out accounts hold exactly the order's paid amount, the obligation is
always obligated + paid + released, and a refused step writes nothing."""

from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.errors import DomainError
from coalition.finance.models import AccountBalance
from coalition.procurement.models import DeliveredItem, Order, Payment
from coalition.procurement.services import inspections, payments
from tests.helpers import user_actor
from tests.procurement.deliveries import deliver, written
from tests.procurement.purchase import BENEFICIARY, FUND_MANAGER, plan_built, purchase_setup

pytestmark = pytest.mark.django_db


class _RolledBack(Exception):
    """Raised to undo one example's writes."""


@pytest.fixture
def small_order(demo) -> Order:
    """6 units of A1 at EUR 1,500.00 (below its 100-unit tier): 4 for N-1, 2 for N-2."""
    from coalition.procurement.services import orders

    run = plan_built(purchase_setup(demo, quantities=(4, 2)))
    [order] = orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    assert (order.quantity, order.unit_price_minor) == (6, 150_000)
    return order


lots = st.sampled_from(["L1", "L2"])
delivery = st.tuples(st.just("deliver"), st.integers(1, 4), lots)
decision = st.one_of(
    st.tuples(st.just("accept"), lots),
    st.tuples(st.just("serials"), st.sampled_from(["accepted", "rejected"]), st.integers(0, 9)),
)
# What is paid: all that is payable, a part of it, a cent more, or any amount.
payment = st.tuples(
    st.just("pay"),
    st.sampled_from(["P-1", "P-2", "P-3", "P-4"]),
    st.one_of(st.sampled_from(["all", "third", "over"]), st.integers(1, 1_000_000)),
)
# Weighted towards what moves the order on: deliveries, decisions and payments.
steps = st.lists(
    st.one_of(
        delivery,
        delivery,
        decision,
        decision,
        payment,
        payment,
        payment,
        st.tuples(st.just("replace"), st.integers(0, 5), lots),
        st.tuples(st.just("reject"), lots),
        st.tuples(st.just("close")),
    ),
    min_size=2,
    max_size=16,
)


def _ledger(kind: str, coalition_id: int) -> int:
    rows = AccountBalance.objects.filter(
        account__fund__coalition_id=coalition_id, account__kind=kind
    ).values_list("balance_minor", flat=True)
    return sum(rows)


def _run(order: Order, step: tuple[object, ...], fresh: list[int]) -> None:
    kind, args = step[0], step[1:]
    if kind == "deliver":
        count, lot = args
        first = fresh[0]
        fresh[0] += int(count)  # type: ignore[call-overload]
        deliver(order, [f"S-{n}" for n in range(first, fresh[0])], lot=str(lot))
    elif kind == "replace":
        index, lot = args
        rejected = sorted(
            DeliveredItem.objects.filter(order=order, status="rejected").values_list(
                "serial", flat=True
            )
        )
        if rejected:
            fresh[0] += 1
            gone = rejected[int(index) % len(rejected)]  # type: ignore[call-overload]
            deliver(order, [f"S-{fresh[0]}"], lot=str(lot), replaces=[gone])
    elif kind in ("accept", "reject"):
        inspections.items_inspect(
            actor=user_actor(BENEFICIARY),
            coalition=order.coalition,
            order=order.reference,
            verdict="accepted" if kind == "accept" else "rejected",
            lot=str(args[0]),
            reason="damaged" if kind == "reject" else "",
            on=order.signed_on,
        )
    elif kind == "serials":
        verdict, index = args
        known = sorted(DeliveredItem.objects.filter(order=order).values_list("serial", flat=True))
        if known:
            inspections.items_inspect(
                actor=user_actor(BENEFICIARY),
                coalition=order.coalition,
                order=order.reference,
                verdict=str(verdict),
                serials=[known[int(index) % len(known)]],  # type: ignore[call-overload]
                reason="wrong-model" if verdict == "rejected" else "",
                on=order.signed_on,
            )
    elif kind == "pay":
        reference, share = args
        payable = order.accepted * order.unit_price_minor - order.paid_minor
        minor = {"all": payable, "third": payable // 3, "over": payable + 1}.get(str(share), share)
        payments.order_pay(
            actor=user_actor(FUND_MANAGER),
            coalition=order.coalition,
            order=order.reference,
            reference=str(reference),
            amount=f"{int(minor) // 100}.{int(minor) % 100:02d}",  # type: ignore[call-overload]
            paid_on=order.signed_on,
        )
    else:
        payments.order_close(
            actor=user_actor(FUND_MANAGER),
            coalition=order.coalition,
            order=order.reference,
            on=order.signed_on,
            reason="closed",
        )


def _check(order: Order, obligated: int) -> None:
    order.refresh_from_db()
    price = order.unit_price_minor
    assert 0 <= order.paid_minor <= order.accepted * price <= order.quantity * price
    statuses = Counter(order.items.values_list("status", flat=True))
    assert (statuses["accepted"], statuses["rejected"], sum(statuses.values())) == (
        order.accepted,
        order.rejected,
        order.delivered,
    )
    assert order.delivered - order.rejected <= order.quantity
    paid = _ledger("paid", order.coalition_id)
    assert paid == order.paid_minor
    assert sum(Payment.objects.filter(order=order).values_list("amount_minor", flat=True)) == paid
    still = _ledger("obligated", order.coalition_id)
    if order.status == "closed":
        assert still == 0
    else:
        assert still + paid == obligated


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(accepted=st.integers(0, 3), sequence=steps)
def test_no_sequence_pays_beyond_accepted_or_loses_money(small_order, accepted, sequence):
    """`accepted`: items delivered in lot L0 and accepted before the sequence."""
    obligated = _ledger("obligated", small_order.coalition_id)
    assert obligated == 900_000
    try:
        with transaction.atomic():
            fresh = [1]
            if accepted:
                _run(small_order, ("deliver", accepted, "L0"), fresh)
                _run(small_order, ("accept", "L0"), fresh)
            for step in sequence:
                small_order.refresh_from_db()
                before = written(small_order)
                try:
                    with transaction.atomic():
                        _run(small_order, step, fresh)
                except DomainError:
                    assert written(small_order) == before, step
                _check(small_order, obligated)
            raise _RolledBack
    except _RolledBack:
        pass
