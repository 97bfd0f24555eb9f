"""A large upload through the real queue (the database backend, as in production): the
batch waits, queued, with its file; one pass of `coalition worker` imports it."""

from typing import Any

import pytest

from coalition.cli import main
from coalition.governance.models import Coalition
from coalition.procurement.models import DeliveredItem, DeliveryBatch
from coalition.procurement.services.delivery_batches import deliveries_upload
from tests.helpers import user_actor
from tests.procurement.manifests import manifest, rows_of, signed_order
from tests.procurement.purchase import BENEFICIARY


@pytest.mark.django_db(transaction=True)  # the worker runs in autocommit, as in production
def test_a_queued_manifest_waits_for_the_worker_which_imports_it(
    demo: Coalition, settings: Any
) -> None:
    order = signed_order(demo)  # its plan solved at once (the tests' immediate backend)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = manifest(*rows_of(order, 6))
    result = deliveries_upload(
        actor=user_actor(BENEFICIARY), coalition=demo, data=data, name="big.csv", size=10**7
    )
    assert result.queued
    assert result.batch is not None
    batch = DeliveryBatch.objects.get(pk=result.batch.pk)
    assert (batch.status, bytes(batch.content or b"")) == ("queued", data)
    assert DeliveredItem.objects.count() == 0
    assert main(["worker", "--once", "--interval", "0"]) == 0
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.rows, batch.written, batch.known) == (
        "done",
        6,
        6,
        6,
        0,
    )
    assert batch.content is None
    assert DeliveredItem.objects.filter(batch=batch).count() == 6
    order.refresh_from_db()
    assert order.delivered == 6
