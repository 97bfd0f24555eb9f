"""Delivery manifests (docs/CONTRACT.md): every item by its serial, all or nothing, in
memory that does not grow with the file.

An import reads the file twice, in chunks (deliveryfile.CHUNK rows). Pass 1, outside
any write transaction, checks each row and looks its chunk's serials up in the database:
an unknown or unsigned order, a date before the order was signed or in the future, a
serial delivered before otherwise than the row says, a serial twice in the chunk, a
replaced item that is not a rejected item of the same order, and more new items than an
order holds are errors (the first MAX_ERRORS are named, with how many more). A row
already delivered as given is "known" and skipped, so the same file twice changes
nothing. Pass 2, in one transaction, locks the orders it adds to (in id order, which
serialises two imports on the same orders on PostgreSQL), checks their counts again,
inserts the new items chunk by chunk and raises each order's delivered count. A serial
given twice in the file in different chunks, or delivered meanwhile by another import,
breaks the serial's unique index: its chunk is rolled back to a savepoint, the rows are
named, and the whole import is refused. Exactly one audit event per import that writes."""

from dataclasses import dataclass
from typing import BinaryIO

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.errors import FileRejected, Message, RowError, _
from coalition.finance.ledger import bulk
from coalition.governance.models import Coalition
from coalition.procurement import deliveryfile
from coalition.procurement.deliveryfile import DeliveryRow, Rereadable
from coalition.procurement.models import (
    BatchStatus,
    DeliveredItem,
    DeliveryBatch,
    ItemStatus,
    Order,
    OrderLine,
    OrderStatus,
)
from coalition.procurement.services.delivery_checks import (
    MAX_ERRORS,
    Checked,
    OrderState,
    Progress,
    also_in,
    manifest_check,
    over,
    replaceable,
    same,
    stored_items,
    where,
)
from coalition.procurement.services.needs import requirement_statuses_update

__all__ = ["MAX_ERRORS", "DeliveriesImport", "deliveries_import"]

ITEMS = DeliveredItem._meta.db_table
DELIVERED = str(ItemStatus.DELIVERED.value)
COLUMNS = ("order_id", "serial", "delivered_on", "lot", "batch_id", "row", "status", "replaces_id")


def _columns() -> list[str]:
    """The columns a new item is inserted with (plain SQL: a million rows through the
    ORM's model instances would cost several times the insert itself)."""
    return [connection.ops.quote_name(c) for c in COLUMNS]


@dataclass(frozen=True)
class DeliveriesImport:
    """What an import did: its batch (None when nothing was new), the data rows read,
    the items written and the rows already delivered as given."""

    batch: DeliveryBatch | None
    rows: int
    written: int
    known: int

    @property
    def queued(self) -> bool:
        return self.batch is not None and self.batch.status == BatchStatus.QUEUED


def deliveries_import(
    *,
    actor: Actor,
    coalition: Coalition,
    data: bytes | BinaryIO,
    name: str,
    progress: Progress | None = None,
) -> DeliveriesImport:
    """Import a delivery manifest: all or nothing; rows already delivered as given are
    skipped. `progress(rows)` is called as pass 1 reads the file."""
    require(actor, "delivery.record", coalition=coalition)
    with deliveryfile.rereadable(data) as file:
        return _import(
            actor=actor, coalition=coalition, file=file, name=name, progress=progress, batch=None
        )


def _import(
    *,
    actor: Actor,
    coalition: Coalition,
    file: Rereadable,
    name: str,
    progress: Progress | None,
    batch: DeliveryBatch | None,
) -> DeliveriesImport:
    checked = manifest_check(coalition=coalition, file=file, name=name, progress=progress)
    if not checked.new and batch is None:
        return DeliveriesImport(batch=None, rows=checked.rows, written=0, known=checked.known)
    return _write(
        actor=actor, coalition=coalition, file=file, name=name, checked=checked, batch=batch
    )


@transaction.atomic
def _write(
    *,
    actor: Actor,
    coalition: Coalition,
    file: Rereadable,
    name: str,
    checked: Checked,
    batch: DeliveryBatch | None,
) -> DeliveriesImport:
    """Pass 2 (module docstring)."""
    locked = list(
        Order.objects.select_for_update().filter(id__in=sorted(checked.new)).order_by("id")
    )
    problems = []
    for order in locked:
        state = OrderState(
            order.pk,
            order.reference,
            order.status,
            order.signed_on,
            order.quantity,
            order.delivered,
            order.rejected,
        )
        count = checked.new[order.pk]
        if order.status != OrderStatus.SIGNED:
            problems.append(
                RowError(
                    name,
                    None,
                    "order",
                    Message(
                        _("order %(order)s is %(status)s"),
                        order=order.reference,
                        status=order.status,
                    ),
                )
            )
        elif order.delivered - order.rejected + count > order.quantity:
            problems.append(RowError(name, None, "order", over(state, count)))
    if problems:  # another import or a change of the order came between the passes
        raise FileRejected(problems)
    if batch is None:
        batch = DeliveryBatch.objects.create(
            coalition=coalition,
            name=name,
            digest=file.digest,
            status=BatchStatus.RUNNING,
            created_by_id=actor.user_id,
        )
    ids = {o.reference: o.pk for o in locked}
    names = dict(Order.objects.filter(coalition=coalition).values_list("id", "reference"))
    written, batch_id = 0, batch.pk
    for index, chunk in enumerate(deliveryfile.chunks(file.open(), name)):
        rows = [r for r in chunk.rows if r.order in ids]  # rows of other orders were known
        if index >= len(checked.with_known) or checked.with_known[index]:
            stored = stored_items([r.serial for r in rows])
            rows = [
                r
                for r in rows
                if r.serial not in stored or not same(stored[r.serial], r, ids[r.order])
            ]
        replaced = replaceable([r.replaces for r in rows if r.replaces])
        items = [
            (
                ids[r.order],
                r.serial,
                r.delivered_on,
                r.lot,
                batch_id,
                r.row,
                DELIVERED,
                replaced[r.replaces][0] if r.replaces in replaced else None,
            )
            for r in rows
        ]
        try:
            with transaction.atomic():
                bulk.insert(ITEMS, _columns(), items)
        except (IntegrityError, connection.Database.IntegrityError):  # type: ignore[attr-defined]
            raise FileRejected(_collisions(name, rows, batch, names)) from None
        written += len(items)
    for order_id, count in checked.new.items():
        Order.objects.filter(pk=order_id).update(delivered=F("delivered") + count)
    requirements = OrderLine.objects.filter(order_id__in=list(checked.new))
    requirement_statuses_update(
        requirement_ids=set(requirements.values_list("requirement_id", flat=True))
    )
    batch.status = BatchStatus.DONE
    batch.rows = batch.processed = checked.rows
    batch.written, batch.known, batch.errors = written, checked.known, []
    batch.content = None
    batch.finished_at = timezone.now()
    batch.save()
    audit_record(
        actor=actor,
        action="deliveries.imported",
        object_type="delivery_batch",
        object_id=batch.pk,
        changes={
            "coalition": coalition.slug,
            "file": name,
            "digest": file.digest,
            "rows": checked.rows,
            "written": written,
            "known": checked.known,
            "orders": {names[i]: n for i, n in sorted(checked.new.items())},
        },
    )
    return DeliveriesImport(batch=batch, rows=checked.rows, written=written, known=checked.known)


def _collisions(
    name: str, rows: list[DeliveryRow], batch: DeliveryBatch, names: dict[int, str]
) -> list[RowError]:
    """Why a chunk broke a unique index: a serial (or a replaced item) given in an earlier
    chunk of this file, or written meanwhile by another import."""
    errors: list[RowError] = []
    stored = stored_items([r.serial for r in rows])
    for row in rows:
        item = stored.get(row.serial)
        if item is None:
            continue
        if item[5] == batch.pk:
            message = also_in(row.serial, item[7])
        else:
            message = Message(
                _("serial %(serial)s was already delivered by another import %(where)s"),
                serial=row.serial,
                where=where(item, names),
            )
        errors.append(RowError(name, row.row, "serial", message))
    if not errors:
        replaced = replaceable([r.replaces for r in rows if r.replaces])
        for row in rows:
            found = replaced.get(row.replaces)
            if found is not None and found[3] is not None:
                message = Message(
                    _("%(serial)s was already replaced by %(by)s"),
                    serial=row.replaces,
                    by=found[3],
                )
                errors.append(RowError(name, row.row, "replaces", message))
    conflict = Message(_("a row conflicts with a stored delivery"))
    return errors or [RowError(name, None, None, conflict)]
