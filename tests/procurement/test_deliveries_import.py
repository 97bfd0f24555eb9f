"""Delivery manifests through the service (docs/CONTRACT.md): items written with their
batch and row and the order's count raised, one audit event, the same file twice changing
nothing; and each refusal with its exact error, nothing written after it."""

from io import BytesIO

import pytest
from openpyxl import Workbook

from coalition.audit.models import AuditEvent
from coalition.errors import FileRejected, Forbidden
from coalition.governance.models import Coalition
from coalition.procurement.models import DeliveredItem, Order
from coalition.procurement.services.deliveries import MAX_ERRORS, deliveries_import
from tests.helpers import TEST, user_actor
from tests.procurement.manifests import (
    counts,
    day,
    manifest,
    rows_of,
    second_order,
    signed_order,
)
from tests.procurement.purchase import BENEFICIARY, CHAIR, FUND_MANAGER

pytestmark = pytest.mark.django_db


def refused(coalition: Coalition, data: bytes, name: str = "m.csv") -> list[str]:
    """The errors of a refused import, after checking that it wrote nothing."""
    before = counts()
    with pytest.raises(FileRejected) as caught:
        deliveries_import(actor=TEST, coalition=coalition, data=data, name=name)
    assert counts() == before
    return [str(e) for e in caught.value.errors]


def test_a_manifest_writes_its_items_and_a_second_import_changes_nothing(demo: Coalition) -> None:
    order = signed_order(demo)
    data = manifest(*rows_of(order, 3), f"SN-X,{order.reference},{day(0)},")
    events = AuditEvent.objects.count()
    result = deliveries_import(
        actor=user_actor(BENEFICIARY), coalition=demo, data=data, name="m.csv"
    )
    assert (result.rows, result.written, result.known) == (4, 4, 0)
    assert result.batch is not None
    assert (result.batch.name, result.batch.status, result.batch.rows) == ("m.csv", "done", 4)
    assert (result.batch.written, result.batch.known, result.batch.content) == (4, 0, None)
    items = DeliveredItem.objects.filter(order=order).order_by("row")
    assert [(i.serial, i.row, i.lot, i.delivered_on, i.status) for i in items] == [
        ("SN-000001", 2, "L1", day(-1), "delivered"),
        ("SN-000002", 3, "L1", day(-1), "delivered"),
        ("SN-000003", 4, "L1", day(-1), "delivered"),
        ("SN-X", 5, "", day(0), "delivered"),
    ]
    order.refresh_from_db()
    assert order.delivered == 4
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "deliveries.imported"
    assert event.changes["orders"] == {order.reference: 4}
    before = counts()
    again = deliveries_import(actor=TEST, coalition=demo, data=data, name="again.csv")
    assert (again.batch, again.rows, again.written, again.known) == (None, 4, 0, 4)
    assert counts() == before


def test_part_known_part_new_writes_the_new_rows(demo: Coalition) -> None:
    order = signed_order(demo)
    deliveries_import(actor=TEST, coalition=demo, data=manifest(*rows_of(order, 2)), name="a.csv")
    result = deliveries_import(
        actor=TEST, coalition=demo, data=manifest(*rows_of(order, 5)), name="b.csv"
    )
    assert (result.rows, result.written, result.known) == (5, 3, 2)
    order.refresh_from_db()
    assert order.delivered == 5


def test_the_fund_manager_may_record_deliveries_and_a_member_may_not(demo: Coalition) -> None:
    order = signed_order(demo)
    data = manifest(*rows_of(order, 1))
    result = deliveries_import(
        actor=user_actor(FUND_MANAGER), coalition=demo, data=data, name="m.csv"
    )
    assert result.written == 1
    before = counts()
    with pytest.raises(Forbidden) as caught:
        deliveries_import(actor=user_actor(CHAIR), coalition=demo, data=data, name="m.csv")
    assert caught.value.message == (
        "only the fund manager's or the beneficiary's delegation records deliveries"
    )
    assert counts() == before


def test_an_unknown_order_is_refused(demo: Coalition) -> None:
    order = signed_order(demo)
    data = manifest(*rows_of(order, 1), f"SN-9,PO-NOPE,{day(-1)},")
    assert refused(demo, data) == ["m.csv row 3, column order: unknown order 'PO-NOPE'"]


def test_a_cancelled_order_is_refused(demo: Coalition) -> None:
    order = signed_order(demo)
    other = second_order(order)
    Order.objects.filter(pk=other.pk).update(status="cancelled")
    assert refused(demo, manifest(f"SN-1,{other.reference},{day(-1)},")) == [
        "m.csv row 2, column order: order PO-OTHER is cancelled: nothing more is delivered"
    ]


def test_a_serial_twice_in_one_chunk_names_both_rows(demo: Coalition) -> None:
    order = signed_order(demo)
    data = manifest(*rows_of(order, 3), f"SN-000002,{order.reference},{day(-1)},L2")
    assert refused(demo, data) == [
        "m.csv row 5, column serial: serial SN-000002 is also in row 3 of this file"
    ]


def test_a_serial_twice_in_different_chunks_names_both_rows(
    demo: Coalition, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coalition.procurement import deliveryfile

    monkeypatch.setattr(deliveryfile, "CHUNK", 2)
    order = signed_order(demo)
    data = manifest(*rows_of(order, 3), f"SN-000001,{order.reference},{day(-1)},L1")
    assert refused(demo, data) == [
        "m.csv row 5, column serial: serial SN-000001 is also in row 2 of this file"
    ]


def test_a_serial_delivered_before_and_twice_in_the_file_is_refused(
    demo: Coalition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both rows are as delivered before (known), in different chunks: still twice."""
    from coalition.procurement import deliveryfile

    order = signed_order(demo)
    deliveries_import(actor=TEST, coalition=demo, data=manifest(*rows_of(order, 3)), name="a.csv")
    monkeypatch.setattr(deliveryfile, "CHUNK", 2)
    data = manifest(*rows_of(order, 3), f"SN-000001,{order.reference},{day(-1)},L1")
    assert refused(demo, data) == [
        "m.csv row 5, column serial: serial SN-000001 is also in row 2 of this file"
    ]
    again = deliveries_import(
        actor=TEST, coalition=demo, data=manifest(*rows_of(order, 3)), name="b.csv"
    )
    assert (again.written, again.known) == (0, 3)


def test_a_serial_delivered_before_otherwise_is_refused(demo: Coalition) -> None:
    order = signed_order(demo)
    deliveries_import(actor=TEST, coalition=demo, data=manifest(*rows_of(order, 2)), name="a.csv")
    data = manifest(f"SN-000002,{order.reference},{day(0)},L1", *rows_of(order, 1, start=3))
    assert refused(demo, data) == [
        f"m.csv row 2, column serial: serial SN-000002 was already delivered for order "
        f"{order.reference} on {day(-1)}, lot L1 (row 3 of a.csv)"
    ]


def test_more_items_than_the_order_holds_is_refused_at_the_first_row_over(
    demo: Coalition,
) -> None:
    order = signed_order(demo)
    Order.objects.filter(pk=order.pk).update(delivered=348)
    data = manifest(*rows_of(order, 4))
    assert refused(demo, data) == [
        f"m.csv row 4, column order: more items than order {order.reference} holds: 350 "
        "ordered, 348 delivered before (rejected ones not counted), and this row is new item "
        "3 of this file"
    ]


def test_dates_before_the_order_in_the_future_and_malformed_are_refused(demo: Coalition) -> None:
    order = signed_order(demo, signed_days_ago=10)
    ref = order.reference
    data = manifest(
        f"SN-1,{ref},{day(-11)},",
        f"SN-2,{ref},{day(1)},",
        f"SN-3,{ref},01/02/2026,",
        f"SN-4,{ref},,",
        f"SN 5,{ref},{day(-1)},",
        f",{ref},{day(-1)},",
    )
    assert refused(demo, data) == [
        f"m.csv row 2, column delivered_on: {day(-11)} is before order {ref} was signed "
        f"({day(-10)})",
        f"m.csv row 3, column delivered_on: {day(1)} is in the future",
        "m.csv row 4, column delivered_on: must be an ISO date (YYYY-MM-DD), not '01/02/2026'",
        "m.csv row 5, column delivered_on: is required",
        "m.csv row 6, column serial: 'SN 5' is not a serial number: letters, digits and "
        ". _ / - (starting with a letter or digit)",
        "m.csv row 7, column serial: is required",
    ]


def test_a_missing_column_and_an_empty_file_are_refused(demo: Coalition) -> None:
    signed_order(demo)
    assert refused(demo, b"serial,delivered_on\nSN-1,2026-01-01\n") == [
        "m.csv row 1, column order: missing column"
    ]
    assert refused(demo, b"serial,order,delivered_on\n") == ["m.csv: no rows after the header"]
    assert refused(demo, b"a,b", name="m.txt") == ["m.txt: must be a .csv or .xlsx file"]


def test_errors_are_capped_and_the_rest_counted(demo: Coalition) -> None:
    signed_order(demo)
    data = manifest(*[f"SN-{n},PO-NOPE,{day(-1)}," for n in range(MAX_ERRORS + 7)])
    errors = refused(demo, data)
    assert len(errors) == MAX_ERRORS + 1
    assert errors[-1] == "m.csv: and 7 more errors"


def test_an_xlsx_manifest_is_read_like_csv(demo: Coalition) -> None:
    order = signed_order(demo)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["serial", "order", "delivered_on", "lot"])
    sheet.append(["X-1", order.reference, day(-2), "L9"])
    sheet.append(["X-2", order.reference, day(-2).isoformat(), None])
    out = BytesIO()
    book.save(out)
    result = deliveries_import(actor=TEST, coalition=demo, data=out.getvalue(), name="m.xlsx")
    assert (result.rows, result.written, result.known) == (2, 2, 0)
    assert list(
        DeliveredItem.objects.order_by("serial").values_list("serial", "lot", "delivered_on")
    ) == [
        ("X-1", "L9", day(-2)),
        ("X-2", "", day(-2)),
    ]


def test_a_rejected_item_is_replaced_once_by_a_later_delivery(demo: Coalition) -> None:
    order = signed_order(demo)
    deliveries_import(actor=TEST, coalition=demo, data=manifest(*rows_of(order, 2)), name="a.csv")
    bad = DeliveredItem.objects.get(serial="SN-000001")
    header = "serial,order,delivered_on,lot,replaces"
    replacement = manifest(f"SN-R1,{order.reference},{day(0)},L2,SN-000001", header=header)
    assert refused(demo, replacement) == [
        "m.csv row 2, column replaces: SN-000001 is delivered: only a rejected item is replaced"
    ]
    _reject(bad)
    result = deliveries_import(actor=TEST, coalition=demo, data=replacement, name="r.csv")
    assert (result.written, result.known) == (1, 0)
    assert DeliveredItem.objects.get(serial="SN-R1").replaces_id == bad.pk
    again = deliveries_import(actor=TEST, coalition=demo, data=replacement, name="r.csv")
    assert (again.written, again.known) == (0, 1)
    second = manifest(f"SN-R2,{order.reference},{day(0)},L2,SN-000001", header=header)
    assert refused(demo, second) == [
        "m.csv row 2, column replaces: SN-000001 was already replaced by SN-R1"
    ]
    other = second_order(order)
    elsewhere = manifest(f"SN-R3,{other.reference},{day(0)},,SN-000002", header=header)
    assert refused(demo, elsewhere) == [
        f"m.csv row 2, column replaces: SN-000002 belongs to order {order.reference}, not PO-OTHER"
    ]


def _reject(item: DeliveredItem) -> None:
    """Reject one item as an inspection would (the inspection service is not ours)."""
    from coalition.procurement.models import Inspection

    inspection = Inspection.objects.create(
        order=item.order, verdict="rejected", reason="damaged", items=1, decided_on=day(0)
    )
    DeliveredItem.objects.filter(pk=item.pk).update(status="rejected", inspection=inspection)
    Order.objects.filter(pk=item.order_id).update(rejected=1)
