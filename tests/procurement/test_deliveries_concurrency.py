"""Two imports of overlapping serials at the same moment on PostgreSQL: both pass their
checks (pass 1) before either writes; the order's row lock lets one write first, and the
other meets the serial's unique index, is refused naming the row, and writes nothing."""

import threading
from typing import Any

import pytest
from django.db import connection

from coalition.errors import DomainError, FileRejected
from coalition.governance.models import Coalition
from coalition.procurement.models import DeliveredItem, DeliveryBatch, Order
from coalition.procurement.services import deliveries
from tests.conftest import requires_postgres
from tests.helpers import TEST
from tests.procurement.manifests import manifest, rows_of, signed_order

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_of_two_overlapping_imports_exactly_one_wins(
    demo: Coalition, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = signed_order(demo)
    first = manifest(*rows_of(order, 30, start=1))  # SN-000001 .. SN-000030
    second = manifest(*rows_of(order, 30, start=21))  # SN-000021 .. SN-000050
    both_checked = threading.Barrier(2, timeout=60)
    write = deliveries._write

    def write_after_both_checked(**kwargs: Any) -> Any:
        both_checked.wait()  # each import has passed its checks: nothing stored yet
        return write(**kwargs)

    monkeypatch.setattr(deliveries, "_write", write_after_both_checked)
    results: list[object] = [None, None]

    def run(index: int, data: bytes) -> None:
        try:
            results[index] = deliveries.deliveries_import(
                actor=TEST, coalition=demo, data=data, name=f"m{index + 1}.csv"
            )
        except DomainError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, data)) for i, data in enumerate((first, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [r for r in results if isinstance(r, deliveries.DeliveriesImport)]
    lost = [r for r in results if isinstance(r, FileRejected)]
    assert (len(won), len(lost)) == (1, 1), results
    winner = won[0]
    loser_file = "m2.csv" if results[0] is winner else "m1.csv"
    first_clash = 2 if loser_file == "m2.csv" else 22  # the loser's row of SN-000021
    error = lost[0].errors[0]
    assert (error.file, error.row, error.column) == (loser_file, first_clash, "serial")
    assert error.message.startswith("serial SN-000021 was already delivered by another import")
    assert winner.written == DeliveredItem.objects.count() == 30
    assert DeliveryBatch.objects.count() == 1
    order.refresh_from_db()
    assert order.delivered == 30
    assert (
        Order.objects.get(pk=order.pk).delivered
        == DeliveredItem.objects.filter(order=order).count()
    )
