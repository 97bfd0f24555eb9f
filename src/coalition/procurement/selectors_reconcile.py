"""Reads for the reconciliation of a coalition's purchase: per order, supplier,
requirement and fund, what was ordered, delivered, accepted, rejected and paid, what is
outstanding and late against the requirements' needed-by dates; the discrepancies; the
deliveries over time against the plans' schedule. Items are counted with one grouped
query (by order and day), never one by one, so a million serials read as fast as ten."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.finance.models import AccountBalance, AccountKind, Fund
from coalition.governance.models import Coalition
from coalition.procurement.models import (
    DeliveredItem,
    ItemStatus,
    Order,
    OrderFunding,
    OrderLine,
    OrderStatus,
    Requirement,
)
from coalition.procurement.reconcile import (
    Arrival,
    Line,
    LineCover,
    Tally,
    allocate,
    close,
    cumulative,
    unpaid_old,
)

UNPAID_DAYS = 30  # "delivered but unpaid for more than N days", unless the reader asks


@dataclass
class OrderCover:
    order: Order
    tally: Tally
    covers: list[LineCover]
    arrivals: list[Arrival]


@dataclass
class Discrepancy:
    kind: str  # "unpaid" | "paid-not-accepted" | "awaiting"
    order: Order
    units: int
    since: date | None = None
    minor: int = 0


@dataclass
class FundRow:
    fund: Fund
    currency: str
    ordered_minor: int = 0
    obligated_minor: int = 0
    paid_minor: int = 0


@dataclass
class Reconciliation:
    today: date
    days: int
    orders: list[OrderCover]
    suppliers: dict[str, Tally] = field(default_factory=dict)
    requirements: list[tuple[Requirement, Tally]] = field(default_factory=list)
    funds: list[FundRow] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    delivered_over_time: list[tuple[date, int]] = field(default_factory=list)
    scheduled_over_time: list[tuple[date, int]] = field(default_factory=list)


def _arrivals(order_ids: list[int]) -> dict[int, list[Arrival]]:
    active = ~Q(status=ItemStatus.REJECTED)
    rows = (
        DeliveredItem.objects.filter(active, order_id__in=order_ids)
        .values("order_id", "delivered_on")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(status=ItemStatus.ACCEPTED)))
        .order_by("order_id", "delivered_on")
    )
    out: dict[int, list[Arrival]] = defaultdict(list)
    for row in rows:
        out[row["order_id"]].append(Arrival(row["delivered_on"], row["n"], row["ok"]))
    return out


def _lines(order_ids: list[int]) -> dict[int, list[Line]]:
    out: dict[int, list[Line]] = defaultdict(list)
    found = OrderLine.objects.filter(order_id__in=order_ids).values_list(
        "order_id", "requirement_id", "quantity", "due", "requirement__needed_by"
    )
    for order_id, requirement, quantity, due, needed_by in found:
        out[order_id].append(Line(requirement, quantity, due, needed_by))
    return out


def order_covers(orders: list[Order], *, today: date) -> list[OrderCover]:
    """Each order's tally and how its items fill its lines."""
    ids = [o.pk for o in orders]
    arrivals, lines = _arrivals(ids), _lines(ids)
    result = []
    for order in orders:
        covers = allocate(lines[order.pk], arrivals[order.pk])
        released = close(covers) if order.status == OrderStatus.CLOSED else 0
        c = order.currency
        tally = Tally(
            ordered=order.quantity,
            delivered=order.delivered,
            accepted=order.accepted,
            rejected=order.rejected,
            late=sum(cover.late(today) for cover in covers),
            released=released,
            ordered_minor={c: order.amount_minor},
            accepted_minor={c: order.accepted * order.unit_price_minor},
            paid_minor={c: order.paid_minor},
        )
        result.append(OrderCover(order, tally, covers, arrivals[order.pk]))
    return result


def covered_by_requirement(requirement_ids: set[int]) -> dict[int, tuple[int, int]]:
    """Per requirement: units on live orders (a closed order's: those it delivered) and
    units delivered (not rejected)."""
    orders = list(
        Order.objects.filter(lines__requirement_id__in=requirement_ids)
        .exclude(status=OrderStatus.CANCELLED)
        .distinct()
    )
    out: dict[int, tuple[int, int]] = {r: (0, 0) for r in requirement_ids}
    for cover in order_covers(orders, today=timezone.localdate()):
        for line in cover.covers:
            if line.requirement in out:
                ordered, delivered = out[line.requirement]
                out[line.requirement] = (ordered + line.quantity, delivered + line.delivered)
    return out


def _requirement_rows(covers: list[OrderCover], today: date) -> list[tuple[Requirement, Tally]]:
    tallies: dict[int, Tally] = defaultdict(Tally)
    for cover in covers:
        order = cover.order
        for line in cover.covers:
            c, price = order.currency, order.unit_price_minor
            line_tally = Tally(
                ordered=line.quantity,
                delivered=line.delivered,
                accepted=line.accepted,
                late=line.late(today),
                ordered_minor={c: line.quantity * price},
                accepted_minor={c: line.accepted * price},
            )
            tallies[line.requirement].add(line_tally)
    found = Requirement.objects.filter(id__in=tallies).select_related("category")
    return [(r, tallies[r.pk]) for r in sorted(found, key=lambda r: (r.needed_by, r.reference))]


def _fund_rows(coalition: Coalition, orders: list[Order]) -> list[FundRow]:
    rows: dict[tuple[int, str], FundRow] = {}
    fundings = OrderFunding.objects.filter(order__in=orders).select_related("fund")
    for funding in fundings:
        row = rows.setdefault(
            (funding.fund_id, funding.currency), FundRow(funding.fund, funding.currency)
        )
        row.ordered_minor += funding.amount_minor
    kinds = {AccountKind.OBLIGATED: "obligated_minor", AccountKind.PAID: "paid_minor"}
    balances = AccountBalance.objects.filter(
        account__coalition=coalition,
        account__kind__in=list(kinds),
        account__fund_id__in={fund_id for fund_id, _ in rows},
    ).values_list("account__fund_id", "currency", "account__kind", "balance_minor")
    for fund_id, currency, kind, minor in balances:
        found = rows.get((fund_id, currency))
        if found is not None:
            name = kinds[AccountKind(kind)]
            setattr(found, name, getattr(found, name) + minor)
    return sorted(rows.values(), key=lambda r: (r.fund.name, r.currency))


def _discrepancies(covers: list[OrderCover], cutoff: date) -> list[Discrepancy]:
    found = []
    for cover in covers:
        order = cover.order
        paid_units = order.paid_minor // order.unit_price_minor if order.unit_price_minor else 0
        units, since = unpaid_old(cover.arrivals, paid_units=paid_units, cutoff=cutoff)
        if units:
            minor = units * order.unit_price_minor
            found.append(Discrepancy("unpaid", order, units, since, minor))
        if order.paid_minor > order.accepted * order.unit_price_minor:
            excess = order.paid_minor - order.accepted * order.unit_price_minor
            found.append(Discrepancy("paid-not-accepted", order, 0, None, excess))
    return found


def reconciliation(
    *, actor: Actor, coalition: Coalition, days: int = UNPAID_DAYS, today: date | None = None
) -> Reconciliation:
    require(actor, "procurement.view", coalition=coalition)
    today = today or timezone.localdate()
    orders = list(
        Order.objects.filter(coalition=coalition)
        .exclude(status=OrderStatus.CANCELLED)
        .select_related("supplier", "category")
        .order_by("signed_on", "reference")
    )
    covers = order_covers(orders, today=today)
    result = Reconciliation(today=today, days=days, orders=covers)
    for cover in covers:
        supplier = cover.order.supplier.name
        result.suppliers.setdefault(supplier, Tally()).add(cover.tally)
    result.suppliers = dict(sorted(result.suppliers.items()))
    result.requirements = _requirement_rows(covers, today)
    result.funds = _fund_rows(coalition, orders)
    result.discrepancies = _discrepancies(covers, today - timedelta(days=days))
    result.delivered_over_time = cumulative(
        (a.on, a.count) for cover in covers for a in cover.arrivals
    )
    result.scheduled_over_time = cumulative(
        (line.due, line.quantity) for cover in covers for line in cover.covers
    )
    return result
