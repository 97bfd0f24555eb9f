"""The beneficiary's inspections: a lot or serials accepted, or rejected for a reason
from the list; decided items are never decided again; only the beneficiary's delegation
(or an admin) decides; a refusal writes nothing."""

from datetime import timedelta

import pytest

from coalition.audit.models import AuditEvent
from coalition.errors import Forbidden, InvalidInput
from coalition.procurement.errors import InspectionInvalid, ItemDecided, OrderState
from coalition.procurement.models import DeliveredItem, Inspection, Order
from coalition.procurement.services import inspections
from coalition.procurement.services.deliveries import deliveries_import
from tests.helpers import api_get, api_post, bearer, user_actor
from tests.procurement.deliveries import deliver, manifest, serials, signed_order, written
from tests.procurement.purchase import BENEFICIARY, FUND_MANAGER

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(demo) -> Order:
    found = signed_order(demo)
    deliver(found, serials("A", 6), lot="L1")
    deliver(found, serials("B", 4), lot="L2")
    return found


def _inspect(order: Order, who: str = BENEFICIARY, **decision: object) -> Inspection:
    decision.setdefault("on", order.signed_on)
    return inspections.items_inspect(
        actor=user_actor(who),
        coalition=order.coalition,
        order=order.reference,
        **decision,  # type: ignore[arg-type]
    )


def _statuses(order: Order) -> dict[str, str]:
    return dict(DeliveredItem.objects.filter(order=order).values_list("serial", "status"))


def test_a_lot_accepted_raises_the_order_count_with_one_event(order):
    events = AuditEvent.objects.count()
    done = _inspect(order, verdict="accepted", lot="L1", note="All six fly")
    order.refresh_from_db()
    assert (order.delivered, order.accepted, order.rejected) == (10, 6, 0)
    assert (done.verdict, done.reason, done.note, done.lot, done.items) == (
        "accepted",
        "",
        "All six fly",
        "L1",
        6,
    )
    statuses = _statuses(order)
    assert {s: statuses[s] for s in serials("A", 6)} == dict.fromkeys(serials("A", 6), "accepted")
    assert {s: statuses[s] for s in serials("B", 4)} == dict.fromkeys(serials("B", 4), "delivered")
    assert set(
        DeliveredItem.objects.filter(inspection=done).values_list("serial", flat=True)
    ) == set(serials("A", 6))
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.action, event.object_id) == (
        "items.accepted",
        f"drone-coalition:{order.reference}",
    )
    assert event.changes["order"] == {"delivered": 10, "accepted": 6, "rejected": 0}


def test_serials_rejected_for_a_reason_and_the_rest_of_the_lot_accepted(order):
    rejected = _inspect(
        order,
        verdict="rejected",
        serials=["B-0002", "B-0004"],
        reason="damaged",
        note="Cracked arms",
    )
    assert (rejected.items, rejected.reason, rejected.lot) == (2, "damaged", "")
    accepted = _inspect(order, verdict="accepted", lot="L2")  # what is left of the lot
    assert accepted.items == 2
    order.refresh_from_db()
    assert (order.delivered, order.accepted, order.rejected) == (10, 2, 2)
    statuses = _statuses(order)
    assert [statuses[s] for s in serials("B", 4)] == [
        "accepted",
        "rejected",
        "accepted",
        "rejected",
    ]


def test_a_rejection_without_a_reason_is_refused_and_writes_nothing(order):
    before = written(order)
    with pytest.raises(InspectionInvalid) as refused:
        _inspect(order, verdict="rejected", lot="L1")
    assert str(refused.value) == (
        "a rejection needs a reason: damaged, failed-inspection, wrong-model, missing-parts"
    )
    assert (refused.value.code, refused.value.field) == ("inspection.invalid", "reason")
    assert written(order) == before


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (
            {"verdict": "rejected", "lot": "L1", "reason": "broken"},
            "unknown reason 'broken': one of damaged, failed-inspection, wrong-model, "
            "missing-parts",
        ),
        ({"verdict": "accepted", "lot": "L1", "reason": "damaged"}, "an acceptance has no reason"),
        ({"verdict": "kept", "lot": "L1"}, "the verdict is accepted or rejected, not 'kept'"),
        ({"verdict": "accepted"}, "name either a lot or a list of serials"),
        (
            {"verdict": "accepted", "lot": "L1", "serials": ["A-0001"]},
            "name either a lot or a list of serials",
        ),
        ({"verdict": "accepted", "lot": "L9"}, "order PO-{year}-0001 has no lot 'L9'"),
        (
            {"verdict": "accepted", "serials": ["A-0001", "Z-1", "Z-2"]},
            "not an item of order PO-{year}-0001: Z-1, Z-2",
        ),
        (
            {"verdict": "accepted", "serials": ["A-0001", "A-0001"]},
            "serial named twice: A-0001",
        ),
        (
            {"verdict": "accepted", "lot": "L1", "on": "yesterday"},
            "the date must be an ISO date (YYYY-MM-DD), not 'yesterday'",
        ),
    ],
)
def test_bad_decisions_are_refused_and_write_nothing(order, decision, message):
    before = written(order)
    with pytest.raises(InvalidInput) as refused:
        _inspect(order, **decision)
    assert str(refused.value) == message.format(year=order.signed_on.year)
    assert written(order) == before


def test_an_inspection_before_the_delivery_is_refused(order):
    before = written(order)
    day = order.signed_on
    with pytest.raises(InspectionInvalid) as refused:
        _inspect(order, verdict="accepted", lot="L1", on=day - timedelta(days=1))
    assert str(refused.value) == (
        f"inspected on {day - timedelta(days=1)}, before the items were delivered ({day})"
    )
    assert written(order) == before


def test_deciding_an_item_twice_is_refused_naming_the_serial_and_its_verdict(order):
    _inspect(order, verdict="rejected", serials=["A-0002"], reason="wrong-model")
    _inspect(order, verdict="accepted", serials=["A-0003"])
    before = written(order)
    with pytest.raises(ItemDecided) as refused:
        _inspect(order, verdict="accepted", serials=["A-0001", "A-0002", "A-0003"])
    assert str(refused.value) == "already decided: A-0002 (rejected), A-0003 (accepted)"
    assert refused.value.code == "inspection.decided"
    _inspect(order, verdict="accepted", lot="L1")  # the other four
    with pytest.raises(ItemDecided) as again:
        _inspect(order, verdict="rejected", lot="L1", reason="damaged")
    assert str(again.value) == (
        f"lot L1 of order {order.reference} has no item awaiting inspection "
        "(5 accepted, 1 rejected)"
    )
    order.refresh_from_db()
    assert (order.accepted, order.rejected) == (5, 1)
    assert written(order)[1:] != before[1:]  # the lot's other four were decided meanwhile


@pytest.mark.parametrize("who", [FUND_MANAGER, "delegate-lv", "delegate-de", "auditor"])
def test_only_the_beneficiary_decides(order, who):
    before = written(order)
    with pytest.raises(Forbidden) as refused:
        _inspect(order, who=who, verdict="accepted", lot="L1")
    assert str(refused.value) == (
        "only the beneficiary's delegation or an administrator accepts or rejects delivered items"
    )
    assert refused.value.code == "delivery.inspect.forbidden"
    assert written(order) == before


def test_an_admin_may_decide(order):
    assert _inspect(order, who="admin", verdict="accepted", lot="L2").items == 4


def test_a_rejected_serial_is_replaced_by_a_later_delivery(demo):
    order = signed_order(demo)
    deliver(order, serials("A", 350), lot="L1")  # the whole order
    _inspect(order, verdict="rejected", serials=["A-0007"], reason="missing-parts")
    over = manifest(order, ["X-0001", "X-0002"])
    with pytest.raises(InvalidInput):  # one free place only: 350 - (350 - 1)
        deliveries_import(
            actor=user_actor(FUND_MANAGER), coalition=demo, data=over, name="over.csv"
        )
    deliver(order, ["R-0007"], lot="L9", replaces=["A-0007"])
    replacement = DeliveredItem.objects.get(serial="R-0007")
    assert replacement.replaces is not None and replacement.replaces.serial == "A-0007"
    order.refresh_from_db()
    assert (order.delivered, order.accepted, order.rejected) == (351, 0, 1)
    assert _inspect(order, verdict="accepted", lot="L9").items == 1
    order.refresh_from_db()
    assert (order.delivered, order.accepted, order.rejected) == (351, 1, 1)


def test_a_closed_order_takes_no_inspection(order):
    from coalition.procurement.services import payments

    _inspect(order, verdict="accepted", lot="L1")
    _inspect(order, verdict="rejected", lot="L2", reason="failed-inspection")
    payments.order_close(
        actor=user_actor(FUND_MANAGER),
        coalition=order.coalition,
        order=order.reference,
        on=order.signed_on,
        reason="Supplier stopped",
    )
    before = written(order)
    with pytest.raises(OrderState) as refused:
        _inspect(order, verdict="accepted", serials=["A-0001"])
    assert str(refused.value) == (
        f"order {order.reference} was closed on {order.signed_on}: it takes no more inspections"
    )
    assert refused.value.code == "order.closed"
    assert written(order) == before


# Through the API


def _url(order: Order) -> str:
    return f"/coalitions/drone-coalition/orders/{order.reference}/inspections"


def test_the_api_accepts_a_lot_and_lists_the_inspections(client, order):
    day = order.signed_on.isoformat()
    status, made = api_post(
        client, _url(order), {"verdict": "accepted", "lot": "L2", "date": day}, BENEFICIARY
    )
    assert status == 201
    assert {k: v for k, v in made.items() if k != "id"} == {
        "verdict": "accepted",
        "reason": "",
        "note": "",
        "lot": "L2",
        "items": 4,
        "serials": serials("B", 4),
        "date": day,
    }
    status, refused = api_post(
        client,
        _url(order),
        {"verdict": "rejected", "serials": ["A-0001"], "date": day},
        BENEFICIARY,
    )
    assert (status, refused["code"]) == (422, "inspection.invalid")
    status, listed = api_get(client, _url(order), "auditor")
    assert status == 200
    assert [(i["verdict"], i["items"]) for i in listed] == [("accepted", 4)]
    status, detail = api_get(
        client, f"/coalitions/drone-coalition/orders/{order.reference}", "auditor"
    )
    assert (detail["delivered"], detail["accepted"], detail["rejected"], detail["paid"]) == (
        10,
        4,
        0,
        "0.00",
    )


@pytest.mark.parametrize("who", [FUND_MANAGER, "delegate-lv", "auditor"])
def test_the_api_answers_403_to_anyone_but_the_beneficiary(client, order, who):
    headers = bearer(who)  # a token is an audited write of its own
    before = written(order)
    response = client.post(
        f"/api/v1{_url(order)}",
        {"verdict": "accepted", "lot": "L1", "date": order.signed_on.isoformat()},
        content_type="application/json",
        **headers,
    )
    assert (response.status_code, response.json()["code"]) == (
        403,
        "delivery.inspect.forbidden",
    )
    assert written(order) == before
