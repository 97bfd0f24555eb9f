"""What the OCDS export reads (coalition.procurement.ocds): every competition of a
coalition with its requirements, tenderers and orders, and per order its lines, its
delivered items counted by day (never one row per serial) and its payments. Read by those
who read the procurement (the policy's procurement.view)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.governance.models import Coalition, Country, Role
from coalition.governance.selectors import role_holder_on
from coalition.procurement.models import (
    Competition,
    DeliveredItem,
    Order,
    OrderLine,
    OrderRevision,
    Payment,
    Requirement,
    Supplier,
)


@dataclass
class ItemCount:
    """`count` items of an order delivered on `delivered_on`; `rejected_on` is the day
    they were rejected (None while they are not)."""

    delivered_on: date
    rejected_on: date | None
    count: int


@dataclass
class OrderSource:
    order: Order
    lines: list[OrderLine]
    items: list[ItemCount]
    payments: list[Payment]
    # Its latest amendment or cancellation (closing is the implementation's): the
    # revision's number and day (0 and the day it was signed when never revised).
    revision: int
    changed_on: date


@dataclass
class ProcessSource:
    """One contracting process: a competition and all that came of it."""

    competition: Competition
    requirements: list[Requirement]
    tenderers: list[Supplier]
    orders: list[OrderSource] = field(default_factory=list)


@dataclass
class OcdsSource:
    coalition: Coalition
    fund_manager: Country | None
    today: date
    processes: list[ProcessSource]


def ocds_source(*, actor: Actor, coalition: Coalition, today: date | None = None) -> OcdsSource:
    """Everything the export of `coalition` needs, in a handful of queries."""
    require(actor, "procurement.view", coalition=coalition)
    day = today or timezone.localdate()
    manager = role_holder_on(coalition=coalition, role=Role.FUND_MANAGER, on=day)
    competitions = list(
        Competition.objects.filter(coalition=coalition)
        .select_related("category")
        .prefetch_related("offers__supplier__country")
        .order_by("bid_deadline", "reference")
    )
    orders = list(
        Order.objects.filter(coalition=coalition)
        .select_related("supplier__country", "category", "offer")
        .prefetch_related("lines__requirement__category")
        .order_by("signed_on", "reference")
    )
    items = _item_counts(coalition)
    payments: dict[int, list[Payment]] = defaultdict(list)
    for payment in Payment.objects.filter(coalition=coalition).order_by("paid_on", "reference"):
        payments[payment.order_id].append(payment)
    revised = _revisions(coalition)
    by_competition: dict[int, list[OrderSource]] = defaultdict(list)
    for order in orders:
        by_competition[order.offer.competition_id].append(
            OrderSource(
                order=order,
                lines=sorted(order.lines.all(), key=lambda x: (x.due, x.requirement.reference)),
                items=items.get(order.pk, []),
                payments=payments.get(order.pk, []),
                revision=revised.get(order.pk, (0, order.signed_on))[0],
                changed_on=max(revised.get(order.pk, (0, order.signed_on))[1], order.signed_on),
            )
        )
    open_needs = list(
        Requirement.objects.filter(coalition=coalition)
        .select_related("category")
        .order_by("needed_by", "reference")
    )
    processes = []
    for competition in competitions:
        bought = by_competition.get(competition.pk, [])
        suppliers = {o.supplier_id: o.supplier for o in competition.offers.all()}
        processes.append(
            ProcessSource(
                competition=competition,
                requirements=_requirements(competition, bought, open_needs),
                tenderers=sorted(suppliers.values(), key=lambda s: (s.name, s.pk)),
                orders=bought,
            )
        )
    return OcdsSource(
        coalition=coalition,
        fund_manager=Country.objects.filter(code=manager).first() if manager else None,
        today=day,
        processes=processes,
    )


def _requirements(
    competition: Competition, bought: list[OrderSource], needs: list[Requirement]
) -> list[Requirement]:
    """The needs a competition buys for: those its orders cover; before it has orders,
    the coalition's needs of its category."""
    covered = {line.requirement.pk: line.requirement for o in bought for line in o.lines}
    if covered:
        return sorted(covered.values(), key=lambda r: (r.needed_by, r.reference))
    return [r for r in needs if r.category_id == competition.category_id]


def _item_counts(coalition: Coalition) -> dict[int, list[ItemCount]]:
    rows = (
        DeliveredItem.objects.filter(order__coalition=coalition)
        .values("order_id", "delivered_on", "status", "inspection__decided_on")
        .annotate(n=Count("id"))
        .order_by("order_id", "delivered_on", "inspection__decided_on")
    )
    found: dict[int, list[ItemCount]] = defaultdict(list)
    for row in rows:
        rejected = row["inspection__decided_on"] if row["status"] == "rejected" else None
        found[row["order_id"]].append(ItemCount(row["delivered_on"], rejected, row["n"]))
    return found


def _revisions(coalition: Coalition) -> dict[int, tuple[int, date]]:
    """Each amended or cancelled order's latest such revision: its number and day."""
    found: dict[int, tuple[int, date]] = {}
    rows = (
        OrderRevision.objects.filter(order__coalition=coalition, number__gt=0)
        .exclude(status="closed")
        .order_by("order_id", "number")
        .values_list("order_id", "number", "created_at")
    )
    for order_id, number, created in rows:
        found[order_id] = (number, timezone.localdate(created))
    return found
