"""From plan to orders: the fund manager approves a plan built from the database; the
platform re-checks it with the independent checker against the funds' current balances
and, in one transaction, places one order per offer and obligates each paying fund's
earmark in the ledger. Orders are amended (fewer units, new due dates) or cancelled with
reversal postings; every step is one audit event and one appended revision."""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.finance.ledger.store import PostResult
from coalition.finance.models import Fund
from coalition.finance.money import from_minor, to_minor
from coalition.finance.services.obligations import (
    Obligation,
    obligations_post,
)
from coalition.governance.models import Coalition
from coalition.optimizer.check import check
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Plan
from coalition.procurement.errors import PlanNotApprovable
from coalition.procurement.models import (
    CompetitionStatus,
    Offer,
    Order,
    OrderFunding,
    OrderLine,
    OrderRevision,
    PlanRun,
    PlanSource,
    PlanStatus,
    Requirement,
)
from coalition.procurement.scenario_build import balance_changes, balances_now
from coalition.procurement.selectors import covered_units, passed_tests, plan_run_get
from coalition.procurement.services.competitions import competition_award
from coalition.procurement.services.needs import requirement_statuses_update


def _approvable(run: PlanRun) -> None:
    if run.source != PlanSource.DATABASE:
        raise PlanNotApprovable(
            f"plan run {run.pk} is a pasted scenario: only a plan built from the database "
            "becomes orders"
        )
    if run.approved_at is not None:
        raise PlanNotApprovable(
            f"plan run {run.pk} was approved on {run.approved_at:%Y-%m-%d}: its orders exist",
            code="plan.already_approved",
        )
    if run.status != PlanStatus.DONE or run.plan is None:
        raise PlanNotApprovable(f"plan run {run.pk} is {run.status}, not done")


def _current_scenario(run: PlanRun) -> tuple[dict[str, Any], list[str]]:
    """The run's scenario as it stands now: the funds' balances of today, each offer's
    trial cap from today's test results, each requirement's units still to cover; and
    what changed since the plan was built."""
    inputs = run.inputs
    scenario = dict(run.scenario)
    current = balances_now(inputs)
    changes = balance_changes(inputs, current)
    currency_of = {sid: spec["currency"] for sid, spec in inputs["funds"].items()}
    scenario["funds"] = [
        {**f, "amount": f"{from_minor(max(current[f['id']], 0), currency_of[f['id']]):.2f}"}
        for f in run.scenario["funds"]
    ]
    offers = {
        o.pk: o
        for o in Offer.objects.filter(id__in=inputs["offers"].values()).select_related(
            "competition"
        )
    }
    assert run.coalition is not None
    passed = passed_tests(coalition=run.coalition)
    items = []
    for item in run.scenario["offers"]:
        offer = offers.get(inputs["offers"][item["id"]])
        if offer is None or offer.competition.status == CompetitionStatus.CANCELLED:
            changes.append(f"offer {item['id']}: its competition was cancelled")
            continue
        tested = (offer.supplier_id, offer.competition.category_id) in passed
        capped = {k: v for k, v in item.items() if k != "max_quantity"}
        if not tested and "max_quantity" not in item:
            changes.append(
                f"offer {item['id']}: its supplier's test for the category no longer stands"
            )
        if not tested and offer.competition.trial_quantity == 0:
            continue
        if not tested:
            capped["max_quantity"] = offer.competition.trial_quantity
        items.append(capped)
    scenario["offers"] = items
    needs = {r.pk: r for r in Requirement.objects.filter(id__in=inputs["requirements"].values())}
    kept = []
    for item in run.scenario["requirements"]:
        requirement = needs[inputs["requirements"][item["id"]]]
        remaining = requirement.quantity - covered_units(requirement)[0]
        if remaining < item["quantity"]:
            changes.append(
                f"requirement {item['id']}: {remaining} units still to cover, "
                f"{item['quantity']} when the plan was built"
            )
        if remaining > 0:
            kept.append({**item, "quantity": remaining})
    scenario["requirements"] = kept
    return scenario, changes


def _checked_plan(run: PlanRun) -> Plan:
    scenario, changes = _current_scenario(run)
    plan = dataclasses.replace(Plan.from_json(run.plan), separate=None)
    violations = check(parse_scenario(scenario), plan)
    if violations:
        said = "; ".join(changes + violations)
        raise PlanNotApprovable(f"plan run {run.pk} no longer fits: {said}", code="plan.stale")
    return plan


def _next_reference(coalition: Coalition, on: date) -> str:
    """The year's next number; the approval holds the coalition's row, so no other
    approval numbers orders meanwhile (orders are never deleted)."""
    count = Order.objects.filter(coalition=coalition, signed_on__year=on.year).count()
    return f"PO-{on.year}-{count + 1:04d}"


def obligation_of(order: Order, funding: OrderFunding, fund: Fund, revision: int) -> Obligation:
    key = ":".join(
        [
            "order",
            order.coalition.slug,
            order.reference,
            fund.code,
            funding.category or "*",
            funding.origin or "*",
            f"r{revision}",
        ]
    )
    return Obligation(
        key=key,
        fund=fund,
        category=funding.category,
        origin=funding.origin,
        amount=from_minor(funding.amount_minor, funding.currency),
        currency=funding.currency,
        purpose_category=order.category_id,
        purpose_origin=order.offer.origin_id,
        memo=f"order {order.reference} ({order.supplier.name})",
        joined=funding.joined,
    )


def revision_append(actor: Actor, order: Order, reason: str) -> dict[str, Any]:
    lines = [
        {
            "requirement": line.requirement.reference,
            "quantity": line.quantity,
            "due": line.due.isoformat(),
        }
        for line in order.lines.select_related("requirement").order_by("due", "requirement_id")
    ]
    fundings = [
        {
            "fund": f.fund.code,
            "category": f.category,
            "origin": f.origin,
            "amount": str(f.amount),
            "obligation": f.obligation_key,
        }
        for f in order.fundings.select_related("fund").order_by("fund_id", "category", "origin")
    ]
    OrderRevision.objects.create(
        order=order,
        number=order.revision,
        status=order.status,
        quantity=order.quantity,
        amount_minor=order.amount_minor,
        lines=lines,
        fundings=fundings,
        reason=reason,
        created_by_id=actor.user_id,
    )
    return {
        "reference": order.reference,
        "supplier": order.supplier.name,
        "quantity": order.quantity,
        "amount": str(order.amount),
        "lines": lines,
        "fundings": fundings,
    }


def _place(
    actor: Actor, run: PlanRun, plan: Plan, on: date
) -> tuple[list[Order], list[Obligation]]:
    inputs = run.inputs
    assert run.coalition is not None
    offers = {
        o.pk: o
        for o in Offer.objects.filter(id__in=inputs["offers"].values()).select_related(
            "supplier", "competition", "origin"
        )
    }
    needs = {r.pk: r for r in Requirement.objects.filter(id__in=inputs["requirements"].values())}
    funds = {
        f.pk: f for f in Fund.objects.filter(coalition=run.coalition).select_related("coalition")
    }
    orders: list[Order] = []
    obligations: list[Obligation] = []
    for item in (o for o in plan.orders if o.quantity > 0):
        offer = offers[inputs["offers"][item.offer]]
        order = Order.objects.create(
            coalition=run.coalition,
            reference=_next_reference(run.coalition, on),
            plan=run,
            offer=offer,
            supplier=offer.supplier,
            category_id=offer.competition.category_id,
            currency=offer.currency,
            quantity=item.quantity,
            unit_price_minor=to_minor(item.unit_price, offer.currency),
            amount_minor=to_minor(item.unit_price, offer.currency) * item.quantity,
            signed_on=on,
            created_by_id=actor.user_id,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                requirement=needs[inputs["requirements"][a.requirement]],
                quantity=a.quantity,
                due=needs[inputs["requirements"][a.requirement]].needed_by,
            )
            for a in plan.assignments
            if a.offer == item.offer
        )
        for payment in (p for p in plan.payments if p.offer == item.offer and p.amount > 0):
            spec = inputs["funds"][payment.fund]
            funding = OrderFunding.objects.create(
                order=order,
                fund_id=spec["fund"],
                category=spec["category"],
                origin=spec["origin"],
                currency=spec["currency"],
                amount_minor=to_minor(payment.amount, spec["currency"]),
                joined=spec["joined"],
            )
            obligation = obligation_of(order, funding, funds[spec["fund"]], 0)
            funding.obligation_key = obligation.key
            funding.save(update_fields=["obligation_key"])
            obligations.append(obligation)
        orders.append(order)
    return orders, obligations


@transaction.atomic
def plan_approve(*, actor: Actor, run_id: int, on: date | None = None) -> list[Order]:
    """Approve a plan built from the database: re-checked against today's balances, test
    results and orders, then one order per offer and one obligation per paying earmark,
    all or nothing. A second approval of the same plan is refused."""
    found = plan_run_get(actor=actor, run_id=run_id)
    if found.coalition is None:
        raise PlanNotApprovable(f"plan run {run_id} belongs to no coalition")
    require(actor, "plan.approve", coalition=found.coalition)
    Coalition.objects.select_for_update().filter(pk=found.coalition.pk).first()
    run = PlanRun.objects.select_for_update(of=("self",)).select_related("coalition").get(id=run_id)
    _approvable(run)
    plan = _checked_plan(run)
    day = on or timezone.localdate()
    orders, obligations = _place(actor, run, plan, day)
    posted: PostResult = obligations_post(actor=actor, obligations=obligations, on=day)
    awarded = [
        competition_award(actor=actor, competition=c) for c in {o.offer.competition for o in orders}
    ]
    requirement_statuses_update(requirement_ids=set(run.inputs["requirements"].values()))
    run.approved_at, run.approved_by_id = timezone.now(), actor.user_id
    run.save(update_fields=["approved_at", "approved_by"])
    audit_record(
        actor=actor,
        action="plan.approved",
        object_type="plan_run",
        object_id=run.pk,
        changes={
            "on": day,
            "orders": [revision_append(actor, o, "signed") for o in orders],
            "awarded": [a for a in awarded if a],
            "obligated": str(sum((o.amount for o in obligations), Decimal(0))),
            "ledger": posted.ledger,
        },
    )
    return orders
