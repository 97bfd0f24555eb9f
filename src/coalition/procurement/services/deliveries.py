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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.errors import FileRejected, RowError
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
from coalition.procurement.services.needs import requirement_statuses_update

MAX_ERRORS = 100
ITEMS = DeliveredItem._meta.db_table
COLUMNS = ("order_id", "serial", "delivered_on", "lot", "batch_id", "row", "status", "replaces_id")


def _columns() -> list[str]:
    """The columns a new item is inserted with (plain SQL: a million rows through the
    ORM's model instances would cost several times the insert itself)."""
    return [connection.ops.quote_name(c) for c in COLUMNS]


Progress = Callable[[int], None]


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


@dataclass
class _Order:
    id: int
    reference: str
    status: str
    signed_on: date
    quantity: int
    delivered: int
    rejected: int


@dataclass
class _Checked:
    """What pass 1 keeps: counts, per order the new items, per chunk whether it holds
    known rows (pass 2 looks those chunks up again), and the first errors."""

    rows: int = 0
    known: int = 0
    new: dict[int, int] = field(default_factory=dict)
    with_known: list[bool] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    more: int = 0

    def add(self, errors: list[RowError]) -> None:
        room = MAX_ERRORS - len(self.errors)
        self.errors += errors[: max(room, 0)]
        self.more += max(len(errors) - max(room, 0), 0)

    def refusal(self, name: str) -> FileRejected:
        errors = sorted(self.errors, key=lambda e: (e.row or 0, e.column or ""))
        if self.more:
            errors.append(RowError(name, None, None, f"and {self.more:,} more errors"))
        return FileRejected(errors)


# (serial, order id, delivered_on, lot, replaced serial, batch id, batch name, row)
Stored = tuple[str, int, date, str, str | None, int | None, str | None, int | None]


def _stored(serials: list[str]) -> dict[str, Stored]:
    """The stored items of these serials. On SQLite (binary collation: the order of Python
    strings) one index seek first tells whether any stored serial lies between the least
    and the greatest of them, as none does for a supplier's new run of serials."""
    if not serials:
        return {}
    items = DeliveredItem.objects.order_by()
    if connection.vendor == "sqlite":
        low, high = min(serials), max(serials)
        if not items.filter(serial__gte=low, serial__lte=high).exists():
            return {}
    found = items.filter(serial__in=serials).values_list(
        "serial",
        "order_id",
        "delivered_on",
        "lot",
        "replaces__serial",
        "batch_id",
        "batch__name",
        "row",
    )
    return {item[0]: item for item in found}


def _same(item: Stored, row: DeliveryRow, order_id: int | None) -> bool:
    return (item[1], item[2], item[3], item[4] or "") == (
        order_id,
        row.delivered_on,
        row.lot,
        row.replaces,
    )


def _where(item: Stored, orders: dict[int, str]) -> str:
    said = f"for order {orders.get(item[1], item[1])} on {item[2].isoformat()}"
    if item[3]:
        said += f", lot {item[3]}"
    if item[6] is not None:
        said += f" (row {item[7]} of {item[6]})"
    return said


def _orders(coalition: Coalition) -> dict[str, _Order]:
    found = Order.objects.filter(coalition=coalition).values_list(
        "id", "reference", "status", "signed_on", "quantity", "delivered", "rejected"
    )
    return {o[1]: _Order(*o) for o in found}


def _replaceable(serials: list[str]) -> dict[str, tuple[int, int, str, str | None]]:
    """Items named in `replaces`: id, order id, status, the serial replacing it."""
    if not serials:
        return {}
    found = (
        DeliveredItem.objects.order_by()
        .filter(serial__in=serials)
        .values_list("serial", "id", "order_id", "status", "replaced_by__serial")
    )
    return {s: (i, o, st, by) for s, i, o, st, by in found}


def _row_problems(row: DeliveryRow, order: _Order | None, name: str, today: date) -> list[RowError]:
    def error(column: str, message: str) -> RowError:
        return RowError(name, row.row, column, message)

    if order is None:
        return [error("order", f"unknown order '{row.order}'")]
    if order.status != OrderStatus.SIGNED:
        return [
            error("order", f"order {order.reference} is {order.status}: nothing more is delivered")
        ]
    if row.delivered_on < order.signed_on:
        return [
            error(
                "delivered_on",
                f"{row.delivered_on.isoformat()} is before order {order.reference} was signed "
                f"({order.signed_on.isoformat()})",
            )
        ]
    if row.delivered_on > today:
        return [error("delivered_on", f"{row.delivered_on.isoformat()} is in the future")]
    return []


def _check_chunk(
    chunk: deliveryfile.Chunk,
    *,
    name: str,
    orders: dict[str, _Order],
    names: dict[int, str],
    today: date,
    checked: _Checked,
) -> None:
    errors = list(chunk.errors)
    serials: dict[str, int] = {}
    replaced: dict[str, int] = {}
    fine: list[DeliveryRow] = []
    for row in chunk.rows:
        problems = _row_problems(row, orders.get(row.order), name, today)
        if row.serial in serials:
            message = f"serial {row.serial} is also in row {serials[row.serial]} of this file"
            problems.append(RowError(name, row.row, "serial", message))
        serials.setdefault(row.serial, row.row)
        if row.replaces and row.replaces in replaced:
            message = f"{row.replaces} is also replaced in row {replaced[row.replaces]}"
            problems.append(RowError(name, row.row, "replaces", message))
        if row.replaces:
            replaced.setdefault(row.replaces, row.row)
        errors += problems
        if not problems:
            fine.append(row)
    stored = _stored([r.serial for r in fine])
    replaceable = _replaceable([r.replaces for r in fine if r.replaces])
    has_known = False
    for row in fine:
        order = orders[row.order]
        item = stored.get(row.serial)
        if item is not None:
            if _same(item, row, order.id):
                checked.known += 1
                has_known = True
            else:
                message = f"serial {row.serial} was already delivered {_where(item, names)}"
                errors.append(RowError(name, row.row, "serial", message))
            continue
        if row.replaces:
            problem = _replace_problem(row, order, replaceable.get(row.replaces), names)
            if problem:
                errors.append(RowError(name, row.row, "replaces", problem))
                continue
        count = checked.new.get(order.id, 0) + 1
        checked.new[order.id] = count
        if order.delivered - order.rejected + count == order.quantity + 1:
            message = _over(order, count)
            errors.append(RowError(name, row.row, "order", message))
    checked.rows = chunk.last - 1
    checked.with_known.append(has_known)
    checked.add(errors)


def _over(order: _Order, count: int) -> str:
    active = order.delivered - order.rejected
    return (
        f"more items than order {order.reference} holds: {order.quantity:,} ordered, "
        f"{active:,} delivered before (rejected ones not counted), and this row is new item "
        f"{count:,} of this file"
    )


def _replace_problem(
    row: DeliveryRow,
    order: _Order,
    found: tuple[int, int, str, str | None] | None,
    names: dict[int, str],
) -> str | None:
    if found is None:
        return f"no delivered item has serial {row.replaces}"
    _, order_id, status, by = found
    if order_id != order.id:
        other = names.get(order_id, order_id)
        return f"{row.replaces} belongs to order {other}, not {order.reference}"
    if status != ItemStatus.REJECTED:
        return f"{row.replaces} is {status}: only a rejected item is replaced"
    if by is not None:
        return f"{row.replaces} was already replaced by {by}"
    return None


def _check(
    *, coalition: Coalition, file: Rereadable, name: str, progress: Progress | None
) -> _Checked:
    """Pass 1: every rule but the unique index across chunks; raises FileRejected."""
    orders = _orders(coalition)
    names = {o.id: o.reference for o in orders.values()}
    checked = _Checked()
    today = timezone.localdate()
    try:
        for chunk in deliveryfile.chunks(file.open(), name):
            _check_chunk(chunk, name=name, orders=orders, names=names, today=today, checked=checked)
            if progress is not None:
                progress(checked.rows)
    except FileRejected as rejected:
        checked.add(rejected.errors)
    if not checked.errors and checked.rows == 0:
        checked.add([RowError(name, None, None, "no rows after the header")])
    if checked.errors:
        raise checked.refusal(name)
    return checked


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
    checked = _check(coalition=coalition, file=file, name=name, progress=progress)
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
    checked: _Checked,
    batch: DeliveryBatch | None,
) -> DeliveriesImport:
    """Pass 2 (module docstring)."""
    locked = list(
        Order.objects.select_for_update().filter(id__in=sorted(checked.new)).order_by("id")
    )
    problems = []
    for order in locked:
        state = _Order(
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
                RowError(name, None, "order", f"order {order.reference} is {order.status}")
            )
        elif order.delivered - order.rejected + count > order.quantity:
            problems.append(RowError(name, None, "order", _over(state, count)))
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
    written = 0
    for index, chunk in enumerate(deliveryfile.chunks(file.open(), name)):
        rows = [r for r in chunk.rows if r.order in ids]  # rows of other orders were known
        if index >= len(checked.with_known) or checked.with_known[index]:
            stored = _stored([r.serial for r in rows])
            rows = [
                r
                for r in rows
                if r.serial not in stored or not _same(stored[r.serial], r, ids[r.order])
            ]
        replaced = _replaceable([r.replaces for r in rows if r.replaces])
        items = [
            (
                ids[r.order],
                r.serial,
                r.delivered_on,
                r.lot,
                batch.pk,
                r.row,
                ItemStatus.DELIVERED.value,
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
    errors = []
    stored = _stored([r.serial for r in rows])
    for row in rows:
        item = stored.get(row.serial)
        if item is None:
            continue
        if item[5] == batch.pk:
            message = f"serial {row.serial} is also in row {item[7]} of this file"
        else:
            message = (
                f"serial {row.serial} was already delivered by another import {_where(item, names)}"
            )
        errors.append(RowError(name, row.row, "serial", message))
    if not errors:
        replaced = _replaceable([r.replaces for r in rows if r.replaces])
        for row in rows:
            found = replaced.get(row.replaces)
            if found is not None and found[3] is not None:
                message = f"{row.replaces} was already replaced by {found[3]}"
                errors.append(RowError(name, row.row, "replaces", message))
    return errors or [RowError(name, None, None, "a row conflicts with a stored delivery")]
