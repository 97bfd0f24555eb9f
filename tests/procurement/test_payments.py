"""Payments to the supplier for accepted items: the money moves in the ledger from the
order's obligations to paid out, from the funds that pay for the order in proportion to
what each still holds for it (to the minor unit); never before an acceptance, never
beyond accepted x unit price, never twice; a refusal writes nothing."""

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from coalition.errors import DomainError, Forbidden, InvalidInput
from coalition.finance.models import AccountBalance, Posting
from coalition.procurement.errors import PaymentReferenceTaken, PaymentRefused
from coalition.procurement.models import Order, Payment
from coalition.procurement.services import inspections, payments
from tests.conftest import requires_postgres
from tests.helpers import api_get, api_post, bearer, user_actor
from tests.procurement.deliveries import deliver, serials, signed_order, written
from tests.procurement.purchase import BENEFICIARY, FUND_MANAGER

pytestmark = pytest.mark.django_db
FUNDS = ("national:LV", "common-fund", "common-fund/tactical-recon")


@pytest.fixture
def order(demo) -> Order:
    """350 units at EUR 1,200.00: 10 delivered (lot L1) and accepted, 5 delivered
    (lot L2) awaiting inspection."""
    found = signed_order(demo)
    deliver(found, serials("A", 10), lot="L1")
    deliver(found, serials("B", 5), lot="L2")
    _accept(found, "L1")
    return found


def _accept(order: Order, lot: str) -> None:
    inspections.items_inspect(
        actor=user_actor(BENEFICIARY),
        coalition=order.coalition,
        order=order.reference,
        verdict="accepted",
        lot=lot,
        on=order.signed_on,
    )


def _pay(order: Order, reference: str, amount: str, who: str = FUND_MANAGER, **more) -> Payment:
    more.setdefault("paid_on", order.signed_on)
    return payments.order_pay(
        actor=user_actor(who),
        coalition=order.coalition,
        order=order.reference,
        reference=reference,
        amount=amount,
        **more,
    )


def ledger(kind: str) -> dict[str, int]:
    """Minor units held by the purchase's funds in `kind` accounts, by fund/earmark."""
    found: dict[str, int] = {}
    rows = AccountBalance.objects.filter(
        account__fund__coalition__slug="drone-coalition", account__kind=kind
    ).select_related("account__fund")
    for row in rows:
        name = row.account.fund.code + (f"/{row.account.category}" if row.account.category else "")
        if name in FUNDS:
            found[name] = found.get(name, 0) + row.balance_minor
    return {k: v for k, v in found.items() if v}


def test_a_payment_moves_money_from_the_obligations_to_paid_in_proportion(order):
    obligated = ledger("obligated")
    assert obligated == {
        "national:LV": 9_000_000,
        "common-fund": 10_000_000,
        "common-fund/tactical-recon": 23_000_000,
    }
    paid = _pay(order, "BANK-1", "5000.00", note="First instalment")
    # 500,000 minor units over 9 : 10 : 23 -> 107,142.86 / 119,047.62 / 273,809.52:
    # floors 107,142 + 119,047 + 273,809 = 499,998; the two cents left go to the largest
    # remainders (.86 and .62).
    assert ledger("paid") == {
        "national:LV": 107_143,
        "common-fund": 119_048,
        "common-fund/tactical-recon": 273_809,
    }
    assert ledger("obligated") == {
        "national:LV": 9_000_000 - 107_143,
        "common-fund": 10_000_000 - 119_048,
        "common-fund/tactical-recon": 23_000_000 - 273_809,
    }
    assert (paid.reference, paid.amount, paid.currency, paid.note) == (
        "BANK-1",
        Decimal("5000.00"),
        "EUR",
        "First instalment",
    )
    assert paid.transaction_key == "payment:drone-coalition:BANK-1"
    assert Posting.objects.filter(transaction__idempotency_key=paid.transaction_key).count() == 6
    order.refresh_from_db()
    assert order.paid_minor == 500_000


def test_partial_payments_up_to_accepted_times_price_and_not_a_cent_more(order):
    _pay(order, "BANK-1", "5000.00")
    _pay(order, "BANK-2", "7000.00")
    order.refresh_from_db()
    assert order.paid_minor == 1_200_000  # 10 accepted x 1,200.00
    assert sum(ledger("paid").values()) == order.paid_minor
    before = written(order)
    with pytest.raises(PaymentRefused) as refused:
        _pay(order, "BANK-3", "0.01")
    assert str(refused.value) == (
        f"EUR 0.01 is more than order {order.reference} can be paid: 10 accepted x "
        "EUR 1,200.00 = EUR 12,000.00, EUR 12,000.00 already paid, EUR 0.00 payable"
    )
    assert (refused.value.code, refused.value.field) == ("payment.exceeds_accepted", "amount")
    assert written(order) == before
    _accept(order, "L2")  # five more accepted: 6,000.00 more payable
    _pay(order, "BANK-3", "6000.00")
    order.refresh_from_db()
    assert (order.accepted, order.paid_minor) == (15, 1_800_000)
    assert sum(ledger("paid").values()) == 1_800_000


def test_a_payment_over_accepted_times_price_is_refused_and_writes_nothing(order):
    before = written(order)
    with pytest.raises(PaymentRefused) as refused:
        _pay(order, "BANK-1", "12000.01")
    assert str(refused.value) == (
        f"EUR 12,000.01 is more than order {order.reference} can be paid: 10 accepted x "
        "EUR 1,200.00 = EUR 12,000.00, EUR 0.00 already paid, EUR 12,000.00 payable"
    )
    assert written(order) == before


def test_no_payment_before_an_acceptance(demo):
    order = signed_order(demo)
    deliver(order, serials("A", 10), lot="L1")
    before = written(order)
    with pytest.raises(PaymentRefused) as refused:
        _pay(order, "BANK-1", "100.00")
    assert str(refused.value) == (
        f"order {order.reference} has no accepted item yet: nothing is paid before the "
        "beneficiary accepts"
    )
    assert refused.value.code == "payment.before_acceptance"
    assert written(order) == before
    assert ledger("paid") == {}


def test_paying_twice_the_same_is_a_replay_and_other_figures_a_conflict(order):
    first = _pay(order, "BANK-1", "5000.00")
    before = written(order)
    again = _pay(order, "BANK-1", "5000.00")
    assert again.pk == first.pk
    assert written(order) == before  # no payment, posting or event more
    for change in ({"amount": "5000.01"}, {"paid_on": order.signed_on + timedelta(days=1)}):
        with pytest.raises(PaymentReferenceTaken) as refused:
            _pay(order, "BANK-1", **{"amount": "5000.00", **change})
        assert str(refused.value) == (
            "payment reference BANK-1 is taken: EUR 5,000.00 paid on "
            f"{order.signed_on} for order {order.reference}"
        )
        assert refused.value.code == "payment.reference_taken"
        assert written(order) == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "the amount must be greater than zero"),
        ("-5", "the amount must be greater than zero"),
        ("12.345", "the amount EUR allows at most 2 decimal places"),
        (
            "1,000",
            "the amount must be written with '.' as the decimal mark and no thousands "
            "separator, not '1,000' (e.g. 1234.56)",
        ),
    ],
)
def test_bad_amounts_are_refused(order, amount, message):
    before = written(order)
    with pytest.raises(InvalidInput) as refused:
        _pay(order, "BANK-1", amount)
    assert (str(refused.value), refused.value.field) == (message, "amount")
    assert written(order) == before


def test_a_payment_dated_before_the_order_is_refused(order):
    before = written(order)
    day = order.signed_on.replace(year=order.signed_on.year - 1)
    with pytest.raises(InvalidInput) as refused:
        _pay(order, "BANK-1", "10.00", paid_on=day)
    assert str(refused.value) == (
        f"paid on {day}, before order {order.reference} was signed ({order.signed_on})"
    )
    assert written(order) == before


@pytest.mark.parametrize("who", [BENEFICIARY, "delegate-lv", "auditor"])
def test_only_the_fund_manager_pays(order, who):
    before = written(order)
    with pytest.raises(Forbidden) as refused:
        _pay(order, "BANK-1", "10.00", who=who)
    assert str(refused.value) == (
        "only the fund manager's delegates or an administrator may pay a supplier"
    )
    assert written(order) == before


def test_the_database_refuses_paid_beyond_accepted_times_price(order):
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(paid_minor=F("paid_minor") + 1_200_001)


# Through the API


def _url(order: Order) -> str:
    return f"/coalitions/drone-coalition/orders/{order.reference}/payments"


def test_the_api_records_lists_and_refuses_payments(client, order):
    day = order.signed_on.isoformat()
    body = {"reference": "BANK-1", "amount": "5000.00", "date": day, "note": "First"}
    status, made = api_post(client, _url(order), body, FUND_MANAGER)
    assert status == 201
    assert made == {
        "reference": "BANK-1",
        "amount": "5000.00",
        "currency": "EUR",
        "date": day,
        "note": "First",
        "transaction": "payment:drone-coalition:BANK-1",
        "paid_from": [
            {"fund": "national:LV", "category": None, "origin": None, "amount": "1071.43"},
            {"fund": "common-fund", "category": None, "origin": None, "amount": "1190.48"},
            {
                "fund": "common-fund",
                "category": "tactical-recon",
                "origin": None,
                "amount": "2738.09",
            },
        ],
    }
    assert api_post(client, _url(order), body, FUND_MANAGER) == (201, made)  # a replay
    status, refused = api_post(client, _url(order), {**body, "amount": "1.00"}, FUND_MANAGER)
    assert (status, refused["code"]) == (409, "payment.reference_taken")
    status, refused = api_post(
        client, _url(order), {**body, "reference": "BANK-2", "amount": "7000.01"}, FUND_MANAGER
    )
    assert (status, refused["code"]) == (409, "payment.exceeds_accepted")
    status, listed = api_get(client, _url(order), "auditor")
    assert (status, listed) == (200, [made])
    status, orders = api_get(client, "/coalitions/drone-coalition/orders", "auditor")
    assert [(o["delivered"], o["accepted"], o["rejected"], o["paid"]) for o in orders] == [
        (15, 10, 0, "5000.00")
    ]


@pytest.mark.parametrize("who", [BENEFICIARY, "delegate-lv", "auditor"])
def test_the_api_answers_403_to_anyone_but_the_fund_manager(client, order, who):
    headers = bearer(who)
    before = written(order)
    response = client.post(
        f"/api/v1{_url(order)}",
        {"reference": "BANK-1", "amount": "10.00", "date": order.signed_on.isoformat()},
        content_type="application/json",
        **headers,
    )
    assert (response.status_code, response.json()["code"]) == (403, "order.pay.forbidden")
    assert written(order) == before


def test_before_acceptance_the_api_answers_409(client, demo):
    order = signed_order(demo)
    deliver(order, serials("A", 3))
    status, refused = api_post(
        client,
        _url(order),
        {"reference": "BANK-1", "amount": "10.00", "date": order.signed_on.isoformat()},
        FUND_MANAGER,
    )
    assert (status, refused["code"]) == (409, "payment.before_acceptance")


# Two payments at the same moment (PostgreSQL)


@requires_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same", [False, True], ids=["two-references", "one-reference"])
def test_two_payments_at_once_never_pay_beyond_accepted(demo, monkeypatch, same):
    """Both have read nothing yet when they meet; the order's row lock lets one pay
    first: the other is refused (12,000.00 payable, 8,000.00 each), or, paying the same
    reference with the same figures, answers the payment just recorded."""
    order = signed_order(demo)
    deliver(order, serials("A", 10), lot="L1")
    _accept(order, "L1")
    both_ready = threading.Barrier(2, timeout=60)
    lock = payments.order_locked

    def lock_when_both_ready(*args: Any) -> Order:
        both_ready.wait()
        return lock(*args)

    monkeypatch.setattr(payments, "order_locked", lock_when_both_ready)
    results: list[object] = [None, None]

    def run(index: int) -> None:
        try:
            results[index] = _pay(order, "BANK-1" if same else f"BANK-{index + 1}", "8000.00")
        except DomainError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    paid = [r for r in results if isinstance(r, Payment)]
    order.refresh_from_db()
    assert order.paid_minor == 800_000 == sum(ledger("paid").values())
    assert Payment.objects.count() == 1
    if same:
        assert [p.pk for p in paid] == [Payment.objects.get().pk] * 2
    else:
        [refused] = [r for r in results if isinstance(r, PaymentRefused)]
        assert len(paid) == 1 and refused.code == "payment.exceeds_accepted"
