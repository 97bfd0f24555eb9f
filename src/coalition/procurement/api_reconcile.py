"""Thin REST router of the reconciliation: per order, supplier, requirement and fund;
the discrepancies. Money is a decimal string with its currency; a row that mixes
currencies gives one amount per currency."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from coalition.access.actor import actor_of
from coalition.finance.money import from_minor
from coalition.governance.selectors import coalition_get
from coalition.procurement.reconcile import Tally
from coalition.procurement.selectors_reconcile import UNPAID_DAYS, reconciliation

router = Router(tags=["purchases"])


class AmountsOut(Schema):
    currency: str
    ordered: str
    accepted: str
    paid: str
    unpaid: str = Field(description="accepted and not yet paid")


class TallyOut(Schema):
    ordered: int
    delivered: int
    accepted: int
    rejected: int
    awaiting: int = Field(description="delivered, not yet accepted or rejected")
    outstanding: int = Field(description="units still to arrive (rejected ones replaced)")
    late: int = Field(description="units delivered after needed-by, or missing after it")
    amounts: list[AmountsOut]


class OrderRowOut(TallyOut):
    order: str
    supplier: str


class SupplierRowOut(TallyOut):
    supplier: str


class RequirementRowOut(TallyOut):
    requirement: str
    needed_by: date


class FundRowOut(Schema):
    fund: str
    currency: str
    on_orders: str
    paid: str
    obligated: str = Field(description="still obligated in the ledger (all its orders)")


class DiscrepancyOut(Schema):
    kind: str = Field(description="unpaid (delivered more than `days` ago) or paid-not-accepted")
    order: str
    units: int
    since: date | None
    amount: str
    currency: str


class ReconciliationOut(Schema):
    as_of: date
    days: int
    orders: list[OrderRowOut]
    suppliers: list[SupplierRowOut]
    requirements: list[RequirementRowOut]
    funds: list[FundRowOut]
    discrepancies: list[DiscrepancyOut]


class DaysIn(Schema):
    days: int = Field(UNPAID_DAYS, ge=0, le=3650, description="unpaid for more than N days")


def _s(minor: int, currency: str) -> str:
    return f"{from_minor(minor, currency):.2f}"


def _tally(t: Tally) -> dict[str, Any]:
    currencies = sorted(set(t.ordered_minor) | set(t.accepted_minor) | set(t.paid_minor))
    unpaid = t.unpaid_minor()
    return {
        "ordered": t.ordered,
        "delivered": t.delivered,
        "accepted": t.accepted,
        "rejected": t.rejected,
        "awaiting": t.awaiting,
        "outstanding": t.outstanding,
        "late": t.late,
        "amounts": [
            AmountsOut(
                currency=c,
                ordered=_s(t.ordered_minor.get(c, 0), c),
                accepted=_s(t.accepted_minor.get(c, 0), c),
                paid=_s(t.paid_minor.get(c, 0), c),
                unpaid=_s(unpaid.get(c, 0), c),
            )
            for c in currencies
        ],
    }


@router.get(
    "/coalitions/{slug}/reconciliation",
    response=ReconciliationOut,
    summary="Reconciliation of orders, deliveries, acceptance and payments",
)
def reconciliation_get(request: HttpRequest, slug: str, query: Query[DaysIn]) -> ReconciliationOut:
    r = reconciliation(actor=actor_of(request), coalition=coalition_get(slug=slug), days=query.days)
    return ReconciliationOut(
        as_of=r.today,
        days=r.days,
        orders=[
            OrderRowOut(order=c.order.reference, supplier=c.order.supplier.name, **_tally(c.tally))
            for c in r.orders
        ],
        suppliers=[SupplierRowOut(supplier=name, **_tally(t)) for name, t in r.suppliers.items()],
        requirements=[
            RequirementRowOut(requirement=q.reference, needed_by=q.needed_by, **_tally(t))
            for q, t in r.requirements
        ],
        funds=[
            FundRowOut(
                fund=f.fund.code,
                currency=f.currency,
                on_orders=_s(f.ordered_minor, f.currency),
                paid=_s(f.paid_minor, f.currency),
                obligated=_s(f.obligated_minor, f.currency),
            )
            for f in r.funds
        ],
        discrepancies=[
            DiscrepancyOut(
                kind=d.kind,
                order=d.order.reference,
                units=d.units,
                since=d.since,
                amount=_s(d.minor, d.order.currency),
                currency=d.order.currency,
            )
            for d in r.discrepancies
        ],
    )
