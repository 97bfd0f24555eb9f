"""Uploaded manifests: a small file is imported in the request; a larger one is kept in
its batch and queued for the task worker, whose run the batch's status, rows read and
errors show (the import itself is services/deliveries.py)."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.errors import DomainError, FileRejected, Message, RowError, TooLarge, _
from coalition.governance.models import Coalition
from coalition.procurement import deliveryfile
from coalition.procurement.models import BatchStatus, DeliveryBatch
from coalition.procurement.services.deliveries import DeliveriesImport, _import, deliveries_import
from coalition.tabular import Source

# Up to this many bytes (by default 1 MB, about 20,000 rows) an upload is imported in the
# request.
INLINE_BYTES = settings.DELIVERY_INLINE_BYTES

log = logging.getLogger(__name__)


def deliveries_upload(
    *, actor: Actor, coalition: Coalition, data: Source, name: str, size: int
) -> DeliveriesImport:
    """Import an uploaded manifest of `size` bytes now, or queue it when it is large (the
    result's batch is then `queued`, nothing written yet)."""
    if size <= INLINE_BYTES:
        return deliveries_import(actor=actor, coalition=coalition, data=data, name=name)  # type: ignore[arg-type]
    batch = deliveries_submit(actor=actor, coalition=coalition, data=data, name=name)
    return DeliveriesImport(batch=batch, rows=batch.rows, written=batch.written, known=batch.known)


def _content(data: Source, name: str) -> bytes:
    limit = deliveryfile.manifest_limits().max_bytes
    content = data if isinstance(data, bytes) else data.read(limit + 1)
    if len(content) > limit:
        raise TooLarge(f"{name}: the file is larger than {limit:,} bytes")
    return content


@transaction.atomic
def deliveries_submit(
    *, actor: Actor, coalition: Coalition, data: Source, name: str
) -> DeliveryBatch:
    """Keep the file in a queued batch for the task worker."""
    require(actor, "delivery.record", coalition=coalition)
    content = _content(data, name)
    with deliveryfile.rereadable(content) as file:
        digest = file.digest
    batch = DeliveryBatch.objects.create(
        coalition=coalition,
        name=name[:255],
        digest=digest,
        content=content,
        created_by_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action="deliveries.queued",
        object_type="delivery_batch",
        object_id=batch.pk,
        changes={"coalition": coalition.slug, "file": batch.name, "digest": digest},
    )
    _enqueue(batch)
    return batch


def _enqueue(batch: DeliveryBatch) -> None:
    from coalition.procurement.tasks import delivery_batch_run_task

    delivery_batch_run_task.enqueue(batch.pk)


@transaction.atomic
def _batch_start(*, actor: Actor, batch_id: int) -> DeliveryBatch | None:
    """Claim a queued batch; None when another worker has it (or it has run)."""
    batch = DeliveryBatch.objects.select_for_update().select_related("coalition").get(id=batch_id)
    if batch.status != BatchStatus.QUEUED:
        return None
    require(actor, "delivery.record", coalition=batch.coalition)
    batch.status = BatchStatus.RUNNING
    batch.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="deliveries.started",
        object_type="delivery_batch",
        object_id=batch.pk,
        changes={},
    )
    return batch


@transaction.atomic
def _batch_fail(*, actor: Actor, batch_id: int, errors: list[RowError]) -> DeliveryBatch:
    batch = DeliveryBatch.objects.select_for_update().get(id=batch_id)
    if batch.status != BatchStatus.RUNNING:  # a late attempt of a batch taken for lost
        return batch
    batch.status = BatchStatus.FAILED
    batch.errors = [e.stored() for e in errors]
    batch.finished_at = timezone.now()
    batch.content = None
    batch.save(update_fields=["status", "errors", "finished_at", "content"])
    audit_record(
        actor=actor,
        action="deliveries.refused",
        object_type="delivery_batch",
        object_id=batch.pk,
        changes={"errors": len(errors)},
    )
    return batch


def delivery_batch_run(*, actor: Actor, batch_id: int) -> DeliveryBatch | None:
    """Import a queued batch (the task's body): rows read are counted on the batch as pass
    1 goes; a refusal is kept on the batch, row by row, and nothing else is written."""
    batch = _batch_start(actor=actor, batch_id=batch_id)
    if batch is None:
        return None
    content = bytes(batch.content or b"")

    def progress(rows: int) -> None:
        DeliveryBatch.objects.filter(pk=batch_id).update(processed=rows)

    try:
        with deliveryfile.rereadable(content) as file:
            _import(
                actor=actor,
                coalition=batch.coalition,
                file=file,
                name=batch.name,
                progress=progress,
                batch=batch,
            )
    except FileRejected as rejected:
        return _batch_fail(actor=actor, batch_id=batch_id, errors=rejected.errors)
    except DomainError as error:
        return _batch_fail(
            actor=actor, batch_id=batch_id, errors=[RowError(batch.name, None, None, error.message)]
        )
    except Exception:  # recorded on the batch for its page, then the worker logs it
        log.exception("delivery batch %s failed", batch_id)
        message = Message(_("the import stopped on an unexpected error; nothing was written"))
        return _batch_fail(
            actor=actor, batch_id=batch_id, errors=[RowError(batch.name, None, None, message)]
        )
    batch.refresh_from_db()
    return batch


@transaction.atomic
def delivery_batch_lost(
    *, actor: Actor, batch_id: int, retry: bool, reason: str
) -> DeliveryBatch | None:
    """The worker importing the batch died: its import's transaction was rolled back
    with it, so the batch is queued again for the next attempt (the file is still kept on
    it), or failed with the reason. None when the batch was not running."""
    locked = DeliveryBatch.objects.select_for_update().select_related("coalition")
    batch = locked.filter(id=batch_id).first()
    if batch is None or batch.status != BatchStatus.RUNNING:
        return None
    require(actor, "delivery.record", coalition=batch.coalition)
    if retry:
        batch.status, batch.processed = BatchStatus.QUEUED, 0
        batch.save(update_fields=["status", "processed"])
    else:
        batch.status, batch.finished_at, batch.content = BatchStatus.FAILED, timezone.now(), None
        batch.errors = [RowError(batch.name, None, None, reason).as_dict()]
        batch.save(update_fields=["status", "finished_at", "content", "errors"])
    audit_record(
        actor=actor,
        action="deliveries.requeued" if retry else "deliveries.abandoned",
        object_type="delivery_batch",
        object_id=batch.pk,
        changes={"reason": reason},
    )
    return batch
