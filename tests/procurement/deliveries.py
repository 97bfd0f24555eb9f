"""Deliveries and inspections for the tests of acceptance, payments and closing: a signed
order of the small purchase (tests/procurement/purchase.py), and delivered items put
straight in the tables (as the manifest import does: items in status delivered, the
order's delivered count raised with F())."""

from datetime import date

from django.db.models import F

from coalition.governance.models import Coalition
from coalition.procurement.models import DeliveredItem, Order
from coalition.procurement.services import orders
from tests.helpers import user_actor
from tests.procurement.purchase import FUND_MANAGER, plan_built, purchase_setup


def signed_order(coalition: Coalition) -> Order:
    """The purchase's one order: PO-<year>-0001, 350 units of A1 at EUR 1,200.00, paid by
    Latvia's programme (90,000.00), the common fund (100,000.00) and its tactical-recon
    earmark (230,000.00)."""
    run = plan_built(purchase_setup(coalition))
    [order] = orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=run.pk)
    return order


def deliver(
    order: Order,
    serials: list[str],
    *,
    lot: str = "",
    on: date | None = None,
    replaces: list[str] | None = None,
) -> None:
    """Items delivered for `order` (each serial replacing the rejected one at the same
    place in `replaces`, when given)."""
    day = on or order.signed_on
    replaced = {
        i.serial: i for i in DeliveredItem.objects.filter(serial__in=replaces or [], order=order)
    }
    DeliveredItem.objects.bulk_create(
        DeliveredItem(
            order=order,
            serial=serial,
            delivered_on=day,
            lot=lot,
            replaces=replaced[replaces[index]] if replaces else None,
        )
        for index, serial in enumerate(serials)
    )
    Order.objects.filter(pk=order.pk).update(delivered=F("delivered") + len(serials))


def serials(prefix: str, count: int, start: int = 1) -> list[str]:
    return [f"{prefix}-{n:04d}" for n in range(start, start + count)]
