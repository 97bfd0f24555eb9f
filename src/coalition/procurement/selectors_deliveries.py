"""Reads of delivery manifests: a coalition's batches, one batch, an order's items."""

from django.db.models import QuerySet

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.governance.models import Coalition
from coalition.procurement.errors import DeliveryBatchNotFound
from coalition.procurement.models import DeliveredItem, DeliveryBatch
from coalition.procurement.selectors import order_get


def delivery_batches_list(*, actor: Actor, coalition: Coalition) -> QuerySet[DeliveryBatch]:
    """The coalition's manifest imports, newest first (without the kept file)."""
    require(actor, "procurement.view", coalition=coalition)
    return (
        DeliveryBatch.objects.filter(coalition=coalition)
        .defer("content")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def delivery_batch_get(*, actor: Actor, coalition: Coalition, batch_id: int) -> DeliveryBatch:
    found = delivery_batches_list(actor=actor, coalition=coalition).filter(pk=batch_id).first()
    if found is None:
        raise DeliveryBatchNotFound(f"no delivery batch {batch_id} in coalition '{coalition.slug}'")
    return found


def order_items(*, actor: Actor, coalition: Coalition, reference: str) -> QuerySet[DeliveredItem]:
    """An order's delivered items by serial."""
    order = order_get(actor=actor, coalition=coalition, reference=reference)
    return DeliveredItem.objects.filter(order=order).select_related("replaces").order_by("serial")
