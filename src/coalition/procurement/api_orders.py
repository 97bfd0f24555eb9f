"""Thin REST router from a plan to orders: a plan built from the database (queued like
any plan), its approval into signed orders and obligations, the orders, their amendments
and cancellation."""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from coalition.access.actor import actor_of
from coalition.finance.money import from_minor
from coalition.governance.selectors import coalition_get
from coalition.procurement import selectors
from coalition.procurement.api import run_out, run_url
from coalition.procurement.models import Order
from coalition.procurement.schemas import PlanRunOut
from coalition.procurement.schemas_purchase import (
    AmendIn,
    ApproveIn,
    BuildIn,
    CancelIn,
    FundingOut,
    LineOut,
    OrderDetailOut,
    OrderOut,
    RevisionOut,
)
from coalition.procurement.services import order_changes, orders, plans
from coalition.schema_types import Id

router = Router(tags=["purchases"])
ORDER = "/coalitions/{slug}/orders/{reference}"


def _money(minor: int, currency: str) -> str:
    return f"{from_minor(minor, currency):.2f}"


def order_out(o: Order) -> OrderOut:
    return OrderOut(
        reference=o.reference,
        supplier=o.supplier.name,
        category=o.category_id,
        quantity=o.quantity,
        amount=_money(o.amount_minor, o.currency),
        currency=o.currency,
        status=o.status,
        delivered=o.delivered,
        accepted=o.accepted,
        rejected=o.rejected,
        paid=_money(o.paid_minor, o.currency),
    )


def order_detail_out(o: Order) -> OrderDetailOut:
    return OrderDetailOut(
        **order_out(o).dict(),
        offer=o.offer.reference,
        competition=o.offer.competition.reference,
        unit_price=_money(o.unit_price_minor, o.currency),
        signed_on=o.signed_on,
        plan_run=o.plan_id,
        revision=o.revision,
        closed_on=o.closed_on,
        lines=[
            LineOut(requirement=line.requirement.reference, quantity=line.quantity, due=line.due)
            for line in sorted(o.lines.all(), key=lambda x: (x.due, x.requirement.reference))
        ],
        fundings=[
            FundingOut(
                fund=f.fund.code,
                category=f.category or None,
                origin=f.origin or None,
                amount=_money(f.amount_minor, f.currency),
                currency=f.currency,
                obligation=f.obligation_key,
            )
            for f in sorted(o.fundings.all(), key=lambda x: (x.fund_id, x.category, x.origin))
            if f.amount_minor
        ],
        revisions=[
            RevisionOut(
                number=r.number,
                status=r.status,
                quantity=r.quantity,
                amount=_money(r.amount_minor, o.currency),
                reason=r.reason,
                created_at=r.created_at,
            )
            for r in o.revisions.order_by("number")
        ],
    )


@router.post(
    "/coalitions/{slug}/plans",
    response={202: PlanRunOut},
    summary="Build a plan from the database and queue it (by the fund manager)",
    description="The scenario is built from the closed competitions named, the open "
    "requirements (or those named), and the money available on `on` in the common fund and "
    "in the programmes that joined; untested suppliers are capped at the competition's "
    "trial quantity. The run's `inputs` say what went in and what was left out, and why.",
)
def plan_build(request: HttpRequest, response: HttpResponse, slug: str, body: BuildIn) -> Status:
    actor = actor_of(request)
    run = plans.plan_build_submit(actor=actor, coalition=coalition_get(slug=slug), **body.dict())
    response["Location"] = run_url(run)
    return Status(202, run_out(selectors.plan_run_get(actor=actor, run_id=run.pk)))


@router.post(
    "/plans/{run_id}/approve",
    response={201: list[OrderDetailOut]},
    summary="Approve a plan built from the database: its orders are signed (fund manager)",
    description="Re-checked first against today's balances, test results and orders: a "
    "plan that no longer fits is refused (409 plan.stale) naming what changed. Then one "
    "order per offer and one obligation per paying earmark, all or nothing.",
)
def plan_approve(request: HttpRequest, run_id: Id, body: ApproveIn) -> Status:
    actor = actor_of(request)
    signed = orders.plan_approve(actor=actor, run_id=run_id, on=body.on)
    coalition = signed[0].coalition if signed else None
    if coalition is None:
        return Status(201, [])
    found = selectors.orders_list(actor=actor, coalition=coalition).filter(
        id__in=[o.pk for o in signed]
    )
    return Status(201, [order_detail_out(o) for o in found.order_by("reference")])


@router.get("/coalitions/{slug}/orders", response=list[OrderOut], summary="Orders, newest first")
def order_list(request: HttpRequest, slug: str) -> list[OrderOut]:
    found = selectors.orders_list(actor=actor_of(request), coalition=coalition_get(slug=slug))
    return [order_out(o) for o in found.order_by("-signed_on", "-reference")]


@router.get(ORDER, response=OrderDetailOut, summary="An order: lines, fundings, revisions")
def order_detail(request: HttpRequest, slug: str, reference: str) -> OrderDetailOut:
    found = selectors.order_get(
        actor=actor_of(request), coalition=coalition_get(slug=slug), reference=reference
    )
    return order_detail_out(found)


@router.post(
    ORDER + "/amend",
    response=OrderDetailOut,
    summary="Lower an order's quantity or move its due dates (by the fund manager)",
)
def order_amend(request: HttpRequest, slug: str, reference: str, body: AmendIn) -> OrderDetailOut:
    actor = actor_of(request)
    coalition = coalition_get(slug=slug)
    order_changes.order_amend(
        actor=actor,
        coalition=coalition,
        reference=reference,
        reason=body.reason,
        quantity=body.quantity,
        schedule=dict(body.schedule) if body.schedule else None,
    )
    return order_detail_out(
        selectors.order_get(actor=actor, coalition=coalition, reference=reference)
    )


@router.post(
    ORDER + "/cancel",
    response=OrderDetailOut,
    summary="Cancel an order: its obligations are reversed (by the fund manager)",
)
def order_cancel(request: HttpRequest, slug: str, reference: str, body: CancelIn) -> OrderDetailOut:
    actor = actor_of(request)
    coalition = coalition_get(slug=slug)
    order_changes.order_cancel(
        actor=actor, coalition=coalition, reference=reference, reason=body.reason
    )
    return order_detail_out(
        selectors.order_get(actor=actor, coalition=coalition, reference=reference)
    )
