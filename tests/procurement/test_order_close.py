"""Closing an order: what each funding still holds obligated for it goes back to the
fund (obligated -> available), so that per fund paid + released = the obligation; a
closed order takes no more deliveries, inspections or payments. Amendments keep the
items delivered and stop once paid; a delivered order is closed, not cancelled. Also the
order page's forms for the beneficiary and the fund manager."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from coalition.audit.models import AuditEvent
from coalition.errors import FileRejected, Forbidden
from coalition.finance.models import Posting
from coalition.procurement.errors import OrderInvalid, OrderState
from coalition.procurement.models import Order, OrderRevision
from coalition.procurement.services import inspections, order_changes, payments
from tests.helpers import api_post, user_actor
from tests.procurement.deliveries import deliver, serials, signed_order, written
from tests.procurement.purchase import BENEFICIARY, FUND_MANAGER
from tests.procurement.test_payments import ledger

pytestmark = pytest.mark.django_db
OBLIGATED = {
    "national:LV": 9_000_000,
    "common-fund": 10_000_000,
    "common-fund/tactical-recon": 23_000_000,
}


def _decide(order: Order, verdict: str, **which: object) -> None:
    inspections.items_inspect(
        actor=user_actor(BENEFICIARY),
        coalition=order.coalition,
        order=order.reference,
        verdict=verdict,
        reason="damaged" if verdict == "rejected" else "",
        on=order.signed_on,
        **which,  # type: ignore[arg-type]
    )


def _pay(order: Order, reference: str, amount: str) -> None:
    payments.order_pay(
        actor=user_actor(FUND_MANAGER),
        coalition=order.coalition,
        order=order.reference,
        reference=reference,
        amount=amount,
        paid_on=order.signed_on,
    )


def _close(order: Order, who: str = FUND_MANAGER) -> Order:
    return payments.order_close(
        actor=user_actor(who),
        coalition=order.coalition,
        order=order.reference,
        on=order.signed_on,
        reason="The supplier delivers no more",
    )


@pytest.fixture
def order(demo) -> Order:
    """350 ordered; 20 delivered: 18 accepted, 2 rejected; EUR 21,600.00 payable."""
    found = signed_order(demo)
    deliver(found, serials("A", 20), lot="L1")
    _decide(found, "rejected", serials=["A-0001", "A-0002"])
    _decide(found, "accepted", lot="L1")
    return found


def _released(order: Order) -> dict[str, int]:
    key = f"order:drone-coalition:{order.reference}:released"
    found: dict[str, int] = {}
    for p in Posting.objects.filter(
        transaction__idempotency_key=key, account__kind="available"
    ).select_related("account__fund"):
        name = p.account.fund.code + (f"/{p.account.category}" if p.account.category else "")
        found[name] = p.amount_minor
    return found


def test_closing_releases_the_rest_so_paid_and_released_make_the_obligation(order):
    available = ledger("available")
    _pay(order, "BANK-1", "10000.00")
    _pay(order, "BANK-2", "0.03")
    _pay(order, "BANK-3", "11599.97")  # 21,600.00 in all: 18 accepted x 1,200.00
    paid = ledger("paid")
    assert sum(paid.values()) == 2_160_000
    events = AuditEvent.objects.count()
    closed = _close(order)
    assert (closed.status, closed.closed_on, closed.revision) == ("closed", order.signed_on, 1)
    assert ledger("obligated") == {}
    released = _released(order)
    for fund, obligation in OBLIGATED.items():
        assert paid[fund] + released[fund] == obligation, fund
        assert ledger("available").get(fund, 0) - available.get(fund, 0) == released[fund]
    assert sum(released.values()) == 42_000_000 - 2_160_000
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "order.closed"
    assert [(r.number, r.status, r.reason) for r in OrderRevision.objects.filter(order=order)] == [
        (0, "signed", "signed"),
        (1, "closed", "The supplier delivers no more"),
    ]


def test_an_order_with_nothing_delivered_is_closed_and_everything_released(demo):
    order = signed_order(demo)
    _close(order)
    assert ledger("obligated") == {}
    assert _released(order) == OBLIGATED


def test_items_awaiting_inspection_keep_the_order_open(order):
    deliver(order, serials("B", 3), lot="L2")
    before = written(order)
    with pytest.raises(OrderState) as refused:
        _close(order)
    assert str(refused.value) == (
        f"order {order.reference} has 3 items awaiting inspection: accept or reject them "
        "before closing it"
    )
    assert refused.value.code == "order.awaiting_inspection"
    assert written(order) == before


def test_a_closed_order_takes_no_payment_delivery_or_change(order):
    _pay(order, "BANK-1", "100.00")
    _close(order)
    before = written(order)
    with pytest.raises(OrderState) as refused:
        _pay(order, "BANK-2", "100.00")
    assert str(refused.value) == (
        f"order {order.reference} was closed on {order.signed_on}: it takes no more payments"
    )
    _pay(order, "BANK-1", "100.00")  # a replay of what was paid before is still a no-op
    with pytest.raises(FileRejected):
        deliver(order, ["C-0001"])
    with pytest.raises(OrderState):
        _close(order)
    with pytest.raises(OrderState) as cancelled:
        order_changes.order_cancel(
            actor=user_actor(FUND_MANAGER),
            coalition=order.coalition,
            reference=order.reference,
            reason="Too late",
        )
    assert str(cancelled.value) == f"order {order.reference} is closed"
    assert written(order) == before


@pytest.mark.parametrize("who", [BENEFICIARY, "delegate-lv", "auditor"])
def test_only_the_fund_manager_closes(order, who):
    before = written(order)
    with pytest.raises(Forbidden) as refused:
        _close(order, who=who)
    assert str(refused.value) == (
        "only the fund manager's delegates or an administrator may amend, cancel or close an order"
    )
    assert written(order) == before


def test_the_api_closes_an_order(client, order):
    status, closed = api_post(
        client,
        f"/coalitions/drone-coalition/orders/{order.reference}/close",
        {"reason": "Done", "date": order.signed_on.isoformat()},
        FUND_MANAGER,
    )
    assert status == 200
    assert (closed["status"], closed["closed_on"], closed["delivered"], closed["rejected"]) == (
        "closed",
        order.signed_on.isoformat(),
        20,
        2,
    )
    assert [r["status"] for r in closed["revisions"]] == ["signed", "closed"]


# Amendments and cancellation of a delivered order


def _amend(order: Order, quantity: int) -> Order:
    return order_changes.order_amend(
        actor=user_actor(FUND_MANAGER),
        coalition=order.coalition,
        reference=order.reference,
        reason="Fewer",
        quantity=quantity,
    )


def test_the_quantity_never_goes_below_the_active_items(order):
    before = written(order)
    with pytest.raises(OrderInvalid) as refused:
        _amend(order, 17)
    assert str(refused.value) == (
        f"order {order.reference} has 18 active delivered items (delivered minus rejected): "
        "its quantity cannot go below 18"
    )
    assert written(order) == before
    assert _amend(order, 200).quantity == 200  # 200 x 1,200.00: the obligations follow
    assert sum(ledger("obligated").values()) == 24_000_000


def test_a_paid_order_changes_its_quantity_no_more(order):
    _pay(order, "BANK-1", "100.00")
    before = written(order)
    with pytest.raises(OrderState) as refused:
        _amend(order, 200)
    assert str(refused.value) == (
        f"order {order.reference} has payments: its quantity no longer changes (close it to "
        "release what is left of its obligations)"
    )
    assert written(order) == before


def test_a_delivered_order_is_closed_not_cancelled(order):
    before = written(order)
    with pytest.raises(OrderState) as refused:
        order_changes.order_cancel(
            actor=user_actor(FUND_MANAGER),
            coalition=order.coalition,
            reference=order.reference,
            reason="No more",
        )
    assert str(refused.value) == (
        f"order {order.reference} has 20 delivered items: it cannot be cancelled, close it instead"
    )
    assert refused.value.code == "order.delivered"
    assert written(order) == before


# The order page


def _page(client, order: Order, who: str) -> str:
    client.force_login(get_user_model().objects.get(username=who))
    response = client.get(f"/coalitions/drone-coalition/orders/{order.reference}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "forms"),
    [
        (BENEFICIARY, ["accept-form", "reject-form"]),
        (FUND_MANAGER, ["pay-form", "close-form"]),
        ("auditor", []),
        ("delegate-lv", []),
    ],
)
def test_the_page_offers_each_role_its_forms(client, order, who, forms):
    html = _page(client, order, who)
    shown = [f for f in ("accept-form", "reject-form", "pay-form", "close-form") if f in html]
    assert shown == forms
    assert 'data-testid="accepted">18<' in html
    assert 'data-testid="rejected">2<' in html
    assert "€\xa021,600.00" in html  # payable


def test_a_rejection_on_the_page_asks_for_its_confirmation(client, order):
    deliver(order, serials("B", 3), lot="L2")
    _page(client, order, BENEFICIARY)
    url = f"/coalitions/drone-coalition/orders/{order.reference}/inspect/"
    body = {"verdict": "rejected", "lot": "L2", "reason": "damaged", "date": order.signed_on}
    before = written(order)
    refused = client.post(url, body)
    assert refused.status_code == 422
    assert "This field is required." in refused.content.decode()
    assert written(order) == before
    done = client.post(url, {**body, "confirm": "on"})
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.rejected == 5


def test_a_refused_payment_on_the_page_says_why_and_writes_nothing(client, order):
    _page(client, order, FUND_MANAGER)
    url = f"/coalitions/drone-coalition/orders/{order.reference}/pay/"
    before = written(order)
    refused = client.post(
        url, {"reference": "BANK-1", "amount": "21600.01", "date": order.signed_on}
    )
    assert refused.status_code == 409
    assert "EUR 0.00 already paid, EUR 21,600.00 payable" in refused.content.decode()
    assert written(order) == before
    done = client.post(url, {"reference": "BANK-1", "amount": "21600", "date": order.signed_on})
    assert done.status_code == 302
    html = _page(client, order, FUND_MANAGER)
    assert "BANK-1" in html and 'data-testid="paid">€\xa021,600.00<' in html
    closed = client.post(
        f"/coalitions/drone-coalition/orders/{order.reference}/close/",
        {"reason": "All paid", "date": order.signed_on + timedelta(days=0)},
    )
    assert closed.status_code == 302
    html = _page(client, order, FUND_MANAGER)
    assert "pay-form" not in html and 'data-testid="closed-on"' in html


def test_a_closing_dated_before_the_order_is_refused(order):
    before = written(order)
    day = order.signed_on - timedelta(days=1)
    with pytest.raises(OrderInvalid) as refused:
        payments.order_close(
            actor=user_actor(FUND_MANAGER),
            coalition=order.coalition,
            order=order.reference,
            on=day,
            reason="Early",
        )
    assert str(refused.value) == (
        f"closed on {day}, before order {order.reference} was signed ({order.signed_on})"
    )
    assert (refused.value.code, refused.value.field) == ("order.invalid", "date")
    assert written(order) == before
