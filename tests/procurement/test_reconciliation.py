"""The reconciliation of one order delivered in two lots, one of them late, partly
accepted, partly rejected and partly paid: exact figures per order, requirement and
supplier, the discrepancies, the page and the API, and the requirement statuses that
follow from the deliveries."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from coalition.procurement.models import (
    DeliveredItem,
    Inspection,
    Order,
    Requirement,
)
from coalition.procurement.selectors_reconcile import reconciliation
from coalition.procurement.services.needs import requirement_statuses_update
from tests.helpers import api_get, user_actor
from tests.procurement.test_order_changes import _signed

pytestmark = pytest.mark.django_db


def _items(order: Order, prefix: str, count: int, on: date, status: str = "delivered") -> None:
    inspection = None
    if status != "delivered":
        inspection = Inspection.objects.create(
            order=order,
            verdict=status,
            reason="damaged" if status == "rejected" else "",
            items=count,
            decided_on=on,
        )
    DeliveredItem.objects.bulk_create(
        DeliveredItem(
            order=order,
            serial=f"{prefix}-{i:04d}",
            delivered_on=on,
            lot=prefix,
            status=status,
            inspection=inspection,
        )
        for i in range(count)
    )
    counts = {"delivered": F("delivered") + count}
    if status != "delivered":
        counts[status] = F(status) + count
    Order.objects.filter(pk=order.pk).update(**counts)


@pytest.fixture
def delivered(demo):
    """PO-2026-0001: 350 units at EUR 1,200 (N-1: 200 needed in 90 days, N-2: 150 in
    150). Lot A, 120 on day 10, all accepted; lot B, 100 on day 100 (after N-1's date):
    50 accepted, 5 rejected, 45 awaiting. Paid: 100 units."""
    order = _signed(demo)
    day = order.signed_on
    _items(order, "A", 120, day + timedelta(10), "accepted")
    _items(order, "B-ok", 50, day + timedelta(100), "accepted")
    _items(order, "B-bad", 5, day + timedelta(100), "rejected")
    _items(order, "B-wait", 45, day + timedelta(100))
    Order.objects.filter(pk=order.pk).update(paid_minor=100 * 120000)
    order.refresh_from_db()
    return order


def test_figures_per_order_requirement_and_supplier(demo, delivered):
    today = delivered.signed_on + timedelta(120)
    r = reconciliation(actor=user_actor("auditor"), coalition=demo, today=today)
    [cover] = r.orders
    t = cover.tally
    assert (t.ordered, t.delivered, t.accepted, t.rejected, t.awaiting, t.outstanding) == (
        350,
        220,
        170,
        5,
        45,
        135,
    )
    # N-1's 200: 120 on time, 80 from lot B after its needed-by date
    assert t.late == 80
    assert (t.ordered_minor, t.accepted_minor, t.paid_minor, t.unpaid_minor()) == (
        {"EUR": 42_000_000},
        {"EUR": 20_400_000},
        {"EUR": 12_000_000},
        {"EUR": 8_400_000},
    )
    rows = {q.reference: (x.ordered, x.delivered, x.accepted, x.late) for q, x in r.requirements}
    assert rows == {"N-1": (200, 200, 170, 80), "N-2": (150, 15, 0, 0)}
    assert list(r.suppliers) == ["Aerorozvidka Works"]
    assert r.suppliers["Aerorozvidka Works"].delivered == 220


def test_delivered_but_unpaid_past_the_cutoff_is_a_discrepancy(demo, delivered):
    today = delivered.signed_on + timedelta(120)
    r = reconciliation(actor=user_actor("auditor"), coalition=demo, today=today, days=30)
    # by day 90: lot A's 120 arrived, 100 are paid -> 20 unpaid since day 10
    [d] = r.discrepancies
    assert (d.kind, d.units, d.since, d.minor) == (
        "unpaid",
        20,
        delivered.signed_on + timedelta(10),
        2_400_000,
    )
    late = reconciliation(actor=user_actor("auditor"), coalition=demo, today=today, days=200)
    assert late.discrepancies == []


def test_schedule_and_deliveries_over_time(demo, delivered):
    r = reconciliation(actor=user_actor("auditor"), coalition=demo)
    day = delivered.signed_on
    assert r.delivered_over_time == [(day + timedelta(10), 120), (day + timedelta(100), 215)]
    assert r.scheduled_over_time == [(date(2027, 3, 1), 200), (date(2027, 4, 30), 350)]


def test_requirement_statuses_follow_the_deliveries(demo, delivered):
    ids = set(Requirement.objects.filter(coalition=demo).values_list("id", flat=True))
    requirement_statuses_update(requirement_ids=ids)
    statuses = dict(Requirement.objects.filter(coalition=demo).values_list("reference", "status"))
    assert statuses == {"N-1": "delivered", "N-2": "partly-delivered"}


def test_funds_show_what_their_orders_hold(demo, delivered):
    r = reconciliation(actor=user_actor("auditor"), coalition=demo)
    rows = {f.fund.code: (f.ordered_minor, f.obligated_minor) for f in r.funds}
    assert rows == {"common-fund": (33_000_000, 33_000_000), "national:LV": (9_000_000, 9_000_000)}


def test_the_api_gives_the_same_figures(client, demo, delivered):
    status, body = api_get(client, f"/coalitions/{demo.slug}/reconciliation?days=30", "auditor")
    assert status == 200
    [row] = body["orders"]  # type: ignore[index]
    assert {k: row[k] for k in ("order", "delivered", "accepted", "rejected", "outstanding")} == {
        "order": delivered.reference,
        "delivered": 220,
        "accepted": 170,
        "rejected": 5,
        "outstanding": 135,
    }
    assert row["amounts"] == [
        {
            "currency": "EUR",
            "ordered": "420000.00",
            "accepted": "204000.00",
            "paid": "120000.00",
            "unpaid": "84000.00",
        }
    ]
    status, body = api_get(client, f"/coalitions/{demo.slug}/reconciliation?days=-1", "auditor")
    assert (status, body["code"]) == (422, "request.invalid")  # type: ignore[index]


def test_the_page_lists_tables_chart_and_checks_days(client, demo, delivered):
    client.force_login(get_user_model().objects.get(username="auditor"))
    page = client.get(f"/coalitions/{demo.slug}/reconciliation/")
    html = page.content.decode()
    assert page.status_code == 200
    for table in ("orders", "suppliers", "requirements", "funds"):
        assert f'data-table="{table}"' in html
    assert "Deliveries over time against the schedule" in html
    assert ">420,000.00<" in html and ">3,720<" not in html and ">350<" in html
    wrong = client.get(f"/coalitions/{demo.slug}/reconciliation/?days=abc")
    assert wrong.status_code == 200
    assert "days: a whole number from 0 to 3650" in wrong.content.decode()
    export = client.get(f"/coalitions/{demo.slug}/reconciliation/?export=csv&table=orders")
    assert export.status_code == 200
    assert delivered.reference in export.content.decode()


def test_a_closed_order_covers_only_what_it_delivered(client, demo):
    """Closed with 100 of 350 delivered: the other 250 were released and will not come,
    so they are neither outstanding nor late, and the requirements are open for them."""
    order = _signed(demo)
    _items(order, "A", 100, order.signed_on + timedelta(10), "accepted")
    Order.objects.filter(pk=order.pk).update(status="closed", closed_on=order.signed_on)
    today = order.signed_on + timedelta(400)
    r = reconciliation(actor=user_actor("auditor"), coalition=demo, today=today)
    [cover] = r.orders
    assert (cover.tally.ordered, cover.tally.released, cover.tally.outstanding) == (350, 250, 0)
    assert cover.tally.late == 0
    rows = {q.reference: (x.ordered, x.delivered) for q, x in r.requirements}
    assert rows == {"N-1": (100, 100), "N-2": (0, 0)}
    ids = set(Requirement.objects.filter(coalition=demo).values_list("id", flat=True))
    requirement_statuses_update(requirement_ids=ids)
    statuses = dict(Requirement.objects.filter(coalition=demo).values_list("reference", "status"))
    assert statuses == {"N-1": "partly-delivered", "N-2": "open"}
    status, body = api_get(client, f"/coalitions/{demo.slug}/requirements", "auditor")
    covered = sorted((r["reference"], r["covered"]) for r in body)  # type: ignore[union-attr, index]
    assert (status, covered) == (200, [("N-1", 100), ("N-2", 0)])
