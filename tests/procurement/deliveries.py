"""Deliveries for the tests of acceptance, payments and closing: a signed order of the
small purchase (tests/procurement/purchase.py), and its items delivered through the
manifest import, as the fund manager would upload them."""

from datetime import date

from coalition.governance.models import Coalition
from coalition.procurement.models import Order
from coalition.procurement.services import orders
from coalition.procurement.services.deliveries import deliveries_import
from tests.helpers import user_actor
from tests.procurement.purchase import FUND_MANAGER, plan_built, purchase_setup


def signed_order(coalition: Coalition) -> Order:
    """The purchase's one order: PO-<year>-0001, 350 units of A1 at EUR 1,200.00, paid by
    Latvia's programme (90,000.00), the common fund (100,000.00) and its tactical-recon
    earmark (230,000.00)."""
    run = plan_built(purchase_setup(coalition))
    [order] = orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    return order


def manifest(
    order: Order,
    serials: list[str],
    *,
    lot: str = "",
    on: date | None = None,
    replaces: list[str] | None = None,
) -> bytes:
    day = (on or order.signed_on).isoformat()
    rows = ["serial,order,delivered_on,lot,replaces"]
    for index, serial in enumerate(serials):
        replaced = replaces[index] if replaces else ""
        rows.append(f"{serial},{order.reference},{day},{lot},{replaced}")
    return ("\n".join(rows) + "\n").encode()


def deliver(
    order: Order,
    serials: list[str],
    *,
    lot: str = "",
    on: date | None = None,
    replaces: list[str] | None = None,
) -> None:
    """Items delivered for `order` by the manifest import (each serial replacing the
    rejected one at the same place in `replaces`, when given)."""
    deliveries_import(
        actor=user_actor(FUND_MANAGER),
        coalition=order.coalition,
        data=manifest(order, serials, lot=lot, on=on, replaces=replaces),
        name="manifest.csv",
    )


def serials(prefix: str, count: int, start: int = 1) -> list[str]:
    return [f"{prefix}-{n:04d}" for n in range(start, start + count)]


def written(order: Order) -> tuple[object, ...]:
    """What a refused request must leave as it was: the order's counts, its items'
    statuses, its inspections and payments, the ledger and the audit log."""
    from coalition.audit.models import AuditEvent
    from coalition.finance.models import AccountBalance, LedgerTransaction
    from coalition.procurement.models import DeliveredItem, Inspection, Payment

    order.refresh_from_db()
    return (
        (order.status, order.delivered, order.accepted, order.rejected, order.paid_minor),
        sorted(DeliveredItem.objects.filter(order=order).values_list("serial", "status")),
        Inspection.objects.count(),
        Payment.objects.count(),
        LedgerTransaction.objects.count(),
        sorted(AccountBalance.objects.values_list("id", "balance_minor")),
        AuditEvent.objects.count(),
    )
