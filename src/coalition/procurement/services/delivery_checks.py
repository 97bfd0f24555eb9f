"""Pass 1 of a manifest import (services/deliveries.py): every row checked against the
database, chunk by chunk, outside any write transaction; nothing is kept but counts per
order, a flag per chunk and the first MAX_ERRORS errors."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from coalition.errors import FileRejected, Message, RowError, _, ngettext
from coalition.governance.models import Coalition
from coalition.procurement import deliveryfile
from coalition.procurement.deliveryfile import DeliveryRow, Rereadable
from coalition.procurement.models import (
    DeliveredItem,
    DeliveryBatch,
    ItemStatus,
    Order,
    OrderStatus,
)
from coalition.records import NO_ROWS

MAX_ERRORS = 100
Progress = Callable[[int], None]


@dataclass
class OrderState:
    id: int
    reference: str
    status: str
    signed_on: date
    quantity: int
    delivered: int
    rejected: int


@dataclass
class Checked:
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
            message = Message(
                ngettext("and %(count)s more error", "and %(count)s more errors", self.more),
                count=self.more,
            )
            errors.append(RowError(name, None, None, message))
        return FileRejected(errors)


# (serial, order id, delivered_on, lot, replaced serial, batch id, batch name, row)
Stored = tuple[str, int, date, str, str | None, int | None, str | None, int | None]


def stored_items(serials: list[str]) -> dict[str, Stored]:
    """The stored items of these serials, by one plain query (a chunk's thousands of
    serials through the ORM cost several times the look-up itself). On SQLite (binary
    collation: the order of Python strings) one index seek first tells whether any stored
    serial lies between the least and the greatest of them, as none does for a supplier's
    new run of serials."""
    if not serials:
        return {}
    if connection.vendor == "sqlite":
        low, high = min(serials), max(serials)
        in_range = DeliveredItem.objects.order_by().filter(serial__gte=low, serial__lte=high)
        if not in_range.exists():
            return {}
    items = connection.ops.quote_name(DeliveredItem._meta.db_table)
    batches = connection.ops.quote_name(DeliveryBatch._meta.db_table)
    params: list[Any] = [serials]
    match = "i.serial = ANY(%s)"
    if connection.vendor != "postgresql":
        match, params = f"i.serial IN ({', '.join(['%s'] * len(serials))})", list(serials)
    # Subqueries by primary key, not joins: a join to the items' own table lets
    # PostgreSQL's planner hash the whole table for every chunk.
    sql = (
        "SELECT i.serial, i.order_id, i.delivered_on, i.lot, "
        f"(SELECT r.serial FROM {items} r WHERE r.id = i.replaces_id), i.batch_id, "
        f'(SELECT b.name FROM {batches} b WHERE b.id = i.batch_id), i."row" '
        f"FROM {items} i WHERE {match}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Each serial is one probe of the unique index. Right after a large import the
            # table's statistics lag behind (autovacuum has not analysed it yet) and the
            # planner would scan the whole table for every chunk instead.
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return {
        serial: (serial, order, _day(day), lot, replaced, batch, name, row)
        for serial, order, day, lot, replaced, batch, name, row in found
    }


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def same(item: Stored, row: DeliveryRow, order_id: int | None) -> bool:
    return (item[1], item[2], item[3], item[4] or "") == (
        order_id,
        row.delivered_on,
        row.lot,
        row.replaces,
    )


def where(item: Stored, orders: dict[int, str]) -> Message:
    return Message(
        _("for order %(order)s on %(date)s%(lot)s%(source)s"),
        order=str(orders.get(item[1], item[1])),
        date=item[2].isoformat(),
        lot=Message(_(", lot %(lot)s"), lot=item[3]) if item[3] else "",
        source=(
            Message(_(" (row %(row)s of %(file)s)"), row=str(item[7]), file=item[6])
            if item[6] is not None
            else ""
        ),
    )


def _orders(coalition: Coalition) -> dict[str, OrderState]:
    found = Order.objects.filter(coalition=coalition).values_list(
        "id", "reference", "status", "signed_on", "quantity", "delivered", "rejected"
    )
    return {o[1]: OrderState(*o) for o in found}


def replaceable(serials: list[str]) -> dict[str, tuple[int, int, str, str | None]]:
    """Items named in `replaces`: id, order id, status, the serial replacing it."""
    if not serials:
        return {}
    found = (
        DeliveredItem.objects.order_by()
        .filter(serial__in=serials)
        .values_list("serial", "id", "order_id", "status", "replaced_by__serial")
    )
    return {s: (i, o, st, by) for s, i, o, st, by in found}


def _row_problems(
    row: DeliveryRow, order: OrderState | None, name: str, today: date
) -> list[RowError]:
    def error(column: str, message: Message) -> RowError:
        return RowError(name, row.row, column, message)

    if order is None:
        return [error("order", Message(_("unknown order '%(order)s'"), order=row.order))]
    if order.status != OrderStatus.SIGNED:
        return [
            error(
                "order",
                Message(
                    _("order %(order)s is %(status)s: nothing more is delivered"),
                    order=order.reference,
                    status=order.status,
                ),
            )
        ]
    if row.delivered_on < order.signed_on:
        return [
            error(
                "delivered_on",
                Message(
                    _("%(date)s is before order %(order)s was signed (%(signed)s)"),
                    date=row.delivered_on.isoformat(),
                    order=order.reference,
                    signed=order.signed_on.isoformat(),
                ),
            )
        ]
    if row.delivered_on > today:
        future = Message(_("%(date)s is in the future"), date=row.delivered_on.isoformat())
        return [error("delivered_on", future)]
    return []


class KnownSeen:
    """The serials of the rows found already delivered as given, in a temporary table of
    the connection (never in memory): a known serial given again in a later chunk of the
    file is named as given twice, as a new one is by the unique index in pass 2."""

    TABLE = "delivery_import_known"

    def __init__(self) -> None:
        self.made = False

    def add(self, rows: list[tuple[str, int]]) -> dict[int, int]:
        """Record (serial, row) pairs; {row: the earlier row} of those seen before."""
        if not rows:
            return {}
        table = connection.ops.quote_name(self.TABLE)
        with connection.cursor() as cursor:
            if not self.made:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} (serial varchar(100) "
                    'PRIMARY KEY, "row" bigint NOT NULL)'
                )
                cursor.execute(f"DELETE FROM {table}")
                self.made = True
            head = f'INSERT INTO {table} (serial, "row") '
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"{head}SELECT * FROM unnest(%s::text[], %s::bigint[]) "
                    "ON CONFLICT (serial) DO NOTHING",
                    [[s for s, _ in rows], [r for _, r in rows]],
                )
            else:
                cursor.executemany(f"{head}VALUES (%s, %s) ON CONFLICT (serial) DO NOTHING", rows)
            if cursor.rowcount == len(rows):  # all new: none seen before (the usual case)
                return {}
            marks = ", ".join(["%s"] * len(rows))
            cursor.execute(
                f'SELECT serial, "row" FROM {table} WHERE serial IN ({marks})',
                [serial for serial, _ in rows],
            )
            first = dict(cursor.fetchall())
        return {row: first[serial] for serial, row in rows if first[serial] != row}

    def close(self) -> None:
        if self.made:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(self.TABLE)}")
            self.made = False


def _check_chunk(
    chunk: deliveryfile.Chunk,
    *,
    name: str,
    orders: dict[str, OrderState],
    names: dict[int, str],
    today: date,
    checked: Checked,
    seen: KnownSeen,
) -> None:
    errors = list(chunk.errors)
    serials: dict[str, int] = {}
    replaced: dict[str, int] = {}
    fine: list[DeliveryRow] = []
    for row in chunk.rows:
        problems = _row_problems(row, orders.get(row.order), name, today)
        if row.serial in serials:
            message = also_in(row.serial, serials[row.serial])
            problems.append(RowError(name, row.row, "serial", message))
        serials.setdefault(row.serial, row.row)
        if row.replaces and row.replaces in replaced:
            message = Message(
                _("%(serial)s is also replaced in row %(row)s"),
                serial=row.replaces,
                row=str(replaced[row.replaces]),
            )
            problems.append(RowError(name, row.row, "replaces", message))
        if row.replaces:
            replaced.setdefault(row.replaces, row.row)
        errors += problems
        if not problems:
            fine.append(row)
    stored = stored_items([r.serial for r in fine])
    replacing = replaceable([r.replaces for r in fine if r.replaces])
    known: list[DeliveryRow] = []
    for row in fine:
        order = orders[row.order]
        item = stored.get(row.serial)
        if item is not None:
            if same(item, row, order.id):
                known.append(row)
            else:
                message = Message(
                    _("serial %(serial)s was already delivered %(where)s"),
                    serial=row.serial,
                    where=where(item, names),
                )
                errors.append(RowError(name, row.row, "serial", message))
            continue
        if row.replaces:
            problem = _replace_problem(row, order, replacing.get(row.replaces), names)
            if problem:
                errors.append(RowError(name, row.row, "replaces", problem))
                continue
        count = checked.new.get(order.id, 0) + 1
        checked.new[order.id] = count
        if order.delivered - order.rejected + count == order.quantity + 1:
            message = over(order, count)
            errors.append(RowError(name, row.row, "order", message))
    twice = seen.add([(row.serial, row.row) for row in known])
    for row in known:
        if row.row in twice:
            message = also_in(row.serial, twice[row.row])
            errors.append(RowError(name, row.row, "serial", message))
    checked.known += len(known) - len(twice)
    checked.rows = chunk.last - 1
    checked.with_known.append(bool(known))
    checked.add(errors)


def also_in(serial: str, row: int | None) -> Message:
    return Message(
        _("serial %(serial)s is also in row %(row)s of this file"), serial=serial, row=str(row)
    )


def over(order: OrderState, count: int) -> Message:
    return Message(
        _(
            "more items than order %(order)s holds: %(quantity)s ordered, %(active)s delivered "
            "before (rejected ones not counted), and this row is new item %(count)s of this file"
        ),
        order=order.reference,
        quantity=order.quantity,
        active=order.delivered - order.rejected,
        count=count,
    )


def _replace_problem(
    row: DeliveryRow,
    order: OrderState,
    found: tuple[int, int, str, str | None] | None,
    names: dict[int, str],
) -> Message | None:
    if found is None:
        return Message(_("no delivered item has serial %(serial)s"), serial=row.replaces)
    order_id, status, by = found[1:]
    if order_id != order.id:
        return Message(
            _("%(serial)s belongs to order %(other)s, not %(order)s"),
            serial=row.replaces,
            other=str(names.get(order_id, order_id)),
            order=order.reference,
        )
    if status != ItemStatus.REJECTED:
        return Message(
            _("%(serial)s is %(status)s: only a rejected item is replaced"),
            serial=row.replaces,
            status=status,
        )
    if by is not None:
        return Message(_("%(serial)s was already replaced by %(by)s"), serial=row.replaces, by=by)
    return None


def manifest_check(
    *, coalition: Coalition, file: Rereadable, name: str, progress: Progress | None
) -> Checked:
    """Pass 1: every rule but the unique index across chunks; raises FileRejected."""
    orders = _orders(coalition)
    names = {o.id: o.reference for o in orders.values()}
    checked = Checked()
    today = timezone.localdate()
    seen = KnownSeen()
    try:
        for chunk in deliveryfile.chunks(file.open(), name):
            _check_chunk(
                chunk,
                name=name,
                orders=orders,
                names=names,
                today=today,
                checked=checked,
                seen=seen,
            )
            if progress is not None:
                progress(checked.rows)
    except FileRejected as rejected:
        checked.add(rejected.errors)
    finally:
        seen.close()
    if not checked.errors and checked.rows == 0:
        checked.add([RowError(name, None, None, NO_ROWS)])
    if checked.errors:
        raise checked.refusal(name)
    return checked
