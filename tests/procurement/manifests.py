"""What the delivery tests share: a signed order of 350 units (the small purchase of
purchase.py, approved), a manifest written from rows, and the counts of everything an
import writes."""

from datetime import date, timedelta

from django.utils import timezone

from coalition.audit.models import AuditEvent
from coalition.governance.models import Coalition
from coalition.procurement.models import DeliveredItem, DeliveryBatch, Order
from coalition.procurement.services import orders
from tests.helpers import user_actor
from tests.procurement.purchase import FUND_MANAGER, plan_built, purchase_setup

HEADER = "serial,order,delivered_on,lot"


def signed_order(coalition: Coalition, *, signed_days_ago: int = 30) -> Order:
    """The purchase's one order (350 units), signed `signed_days_ago` days ago."""
    purchase = purchase_setup(coalition)
    [order] = orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=plan_built(purchase).pk)
    Order.objects.filter(pk=order.pk).update(signed_on=day(-signed_days_ago))
    order.refresh_from_db()
    return order


def second_order(order: Order, *, reference: str = "PO-OTHER", quantity: int = 5) -> Order:
    """Another signed order of the same coalition (another offer of the competition)."""
    offer = order.offer.competition.offers.exclude(pk=order.offer_id).first()
    assert offer is not None
    return Order.objects.create(
        coalition=order.coalition,
        reference=reference,
        plan=order.plan,
        offer=offer,
        supplier=offer.supplier,
        category=order.category,
        currency=order.currency,
        quantity=quantity,
        unit_price_minor=100,
        amount_minor=100 * quantity,
        signed_on=order.signed_on,
    )


def day(offset: int = 0) -> date:
    return timezone.localdate() + timedelta(days=offset)


def manifest(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def rows_of(
    order: Order, count: int, *, start: int = 1, on: int = -1, lot: str = "L1"
) -> list[str]:
    return [
        f"SN-{n:06d},{order.reference},{day(on).isoformat()},{lot}"
        for n in range(start, start + count)
    ]


def counts() -> dict[str, object]:
    return {
        "items": DeliveredItem.objects.count(),
        "batches": DeliveryBatch.objects.count(),
        "audit": AuditEvent.objects.count(),
        "delivered": list(Order.objects.order_by("id").values_list("delivered", flat=True)),
    }
