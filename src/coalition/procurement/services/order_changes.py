"""An order after it is signed: amended (fewer units, or new due dates) or cancelled. The
ledger is never edited: the order's obligations are reversed whole and, for an amendment
that changes the amount, posted anew for the new amount; the order gains a revision."""

import dataclasses
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.finance.money import from_minor
from coalition.finance.services.obligations import (
    Obligation,
    obligations_post,
    obligations_reverse,
)
from coalition.governance.models import Coalition
from coalition.procurement.errors import OrderInvalid, OrderNotFound, OrderState
from coalition.procurement.models import Order, OrderFunding, OrderLine, OrderStatus
from coalition.procurement.services.needs import requirement_statuses_update
from coalition.procurement.services.orders import obligation_of, revision_append
from coalition.records import iso_date
from coalition.text import text_problem


def _locked(coalition: Coalition, reference: str) -> Order:
    found = (
        Order.objects.select_for_update(of=("self",))
        .select_related("offer", "supplier", "coalition")
        .filter(coalition=coalition, reference=reference)
        .first()
    )
    if found is None:
        raise OrderNotFound(f"no order '{reference}' in coalition '{coalition.slug}'")
    if found.status != OrderStatus.SIGNED:
        raise OrderState(f"order {reference} is {found.status}")
    return found


def written_reason(reason: str) -> str:
    written = str(reason).strip()
    if problem := text_problem(written, max_length=500):
        raise OrderInvalid(f"the reason {problem}", field="reason")
    if not written:
        raise OrderInvalid("say why the order changes", field="reason")
    return written


def _unit_price_minor(order: Order, quantity: int) -> int:
    """All-units pricing on the new quantity (rule 2 of SCENARIO.md)."""
    tiers = [t for t in order.offer.tiers.order_by("min_quantity") if t.min_quantity <= quantity]
    if not tiers:
        raise OrderInvalid(f"{quantity} units is below the offer's first tier", field="quantity")
    return tiers[-1].unit_price_minor


def _fewer_units(order: Order, quantity: int) -> None:
    """Take units off the lines due last, and money off the fundings listed last."""
    if not 1 <= quantity < order.quantity:
        raise OrderInvalid(
            f"an amendment lowers the quantity: 1 to {order.quantity - 1} units "
            "(cancel the order to drop it)",
            field="quantity",
        )
    price = _unit_price_minor(order, quantity)
    amount = price * quantity
    if amount > order.amount_minor:
        raise OrderInvalid(
            f"at {quantity} units the unit price rises to "
            f"{from_minor(price, order.currency):,.2f}: the order would cost more, not less",
            field="quantity",
        )
    surplus = order.quantity - quantity
    for line in order.lines.order_by("-due", "-requirement_id"):
        taken = min(surplus, line.quantity)
        surplus -= taken
        if taken == line.quantity:
            line.delete()
        elif taken:
            OrderLine.objects.filter(pk=line.pk).update(quantity=line.quantity - taken)
    excess = order.amount_minor - amount
    for funding in order.fundings.order_by("-fund_id", "-category", "-origin"):
        taken = min(excess, funding.amount_minor)
        excess -= taken
        OrderFunding.objects.filter(pk=funding.pk).update(amount_minor=funding.amount_minor - taken)
    order.quantity, order.unit_price_minor, order.amount_minor = quantity, price, amount


def _new_dates(order: Order, schedule: dict[str, date | str]) -> None:
    lines = {line.requirement.reference: line for line in order.lines.select_related("requirement")}
    for reference, due in schedule.items():
        if reference not in lines:
            raise OrderInvalid(
                f"order {order.reference} covers no requirement {reference}", field="schedule"
            )
        try:
            day = iso_date(due)
        except ValueError as error:
            raise OrderInvalid(f"schedule {reference}: {error}", field="schedule") from None
        if day < order.signed_on:
            raise OrderInvalid(
                f"schedule {reference}: due before the order was signed ({order.signed_on})",
                field="schedule",
            )
        OrderLine.objects.filter(pk=lines[reference].pk).update(due=day)


def _obligations(order: Order, *, posted: bool) -> list[Obligation]:
    """The order's obligations: as posted (their stored keys), or to post for its
    current revision."""
    fundings = (
        order.fundings.select_related("fund", "fund__coalition")
        .filter(amount_minor__gt=0)
        .order_by("fund_id", "category", "origin")
    )
    made = [(f, obligation_of(order, f, f.fund, order.revision)) for f in fundings]
    if posted:
        return [dataclasses.replace(o, key=f.obligation_key) for f, o in made if f.obligation_key]
    return [o for _, o in made]


def _release(actor: Actor, order: Order, on: date) -> dict[str, object]:
    current = _obligations(order, posted=True)
    if not current:
        return {}
    return obligations_reverse(actor=actor, obligations=current, on=on, suffix=":reversed").ledger


def _reobligate(actor: Actor, order: Order, on: date) -> dict[str, object]:
    fresh = _obligations(order, posted=False)
    for obligation, funding in zip(
        fresh,
        order.fundings.filter(amount_minor__gt=0).order_by("fund_id", "category", "origin"),
        strict=True,
    ):
        OrderFunding.objects.filter(pk=funding.pk).update(obligation_key=obligation.key)
    OrderFunding.objects.filter(order=order, amount_minor=0).update(obligation_key="")
    return obligations_post(actor=actor, obligations=fresh, on=on).ledger if fresh else {}


def _keeps_deliveries(order: Order, quantity: int) -> None:
    """An order's quantity never goes below its active items (delivered minus rejected),
    nor changes once a payment was made (its obligations are partly paid out)."""
    active = order.delivered - order.rejected
    if quantity < active:
        raise OrderInvalid(
            f"order {order.reference} has {active} active delivered "
            f"item{'s' if active != 1 else ''} (delivered minus rejected): its quantity "
            f"cannot go below {active}",
            field="quantity",
        )
    if order.paid_minor:
        raise OrderState(
            f"order {order.reference} has payments: its quantity no longer changes (close "
            "it to release what is left of its obligations)",
            code="order.paid",
        )


@transaction.atomic
def order_amend(
    *,
    actor: Actor,
    coalition: Coalition,
    reference: str,
    reason: str,
    quantity: int | None = None,
    schedule: dict[str, date | str] | None = None,
) -> Order:
    """Lower an order's quantity (its obligations follow, by reversal and a new
    obligation) and/or move the due dates of its lines."""
    require(actor, "order.manage", coalition=coalition)
    written = written_reason(reason)
    order = _locked(coalition, reference)
    if quantity is None and not schedule:
        raise OrderInvalid("an amendment changes the quantity or the schedule", field="quantity")
    on = timezone.localdate()
    ledger: dict[str, Any] = {}
    if quantity is not None:
        _keeps_deliveries(order, int(quantity))
        ledger["reversed"] = _release(actor, order, on)
        _fewer_units(order, int(quantity))
        order.revision += 1
        order.save(update_fields=["quantity", "unit_price_minor", "amount_minor", "revision"])
        ledger["obligated"] = _reobligate(actor, order, on)
    else:
        order.revision += 1
        order.save(update_fields=["revision"])
    if schedule:
        _new_dates(order, schedule)
    requirement_statuses_update(
        requirement_ids=set(order.lines.values_list("requirement_id", flat=True))
    )
    audit_record(
        actor=actor,
        action="order.amended",
        object_type="order",
        object_id=f"{coalition.slug}:{reference}",
        changes={"revision": revision_append(actor, order, written), "ledger": ledger},
    )
    return order


@transaction.atomic
def order_cancel(*, actor: Actor, coalition: Coalition, reference: str, reason: str) -> Order:
    """Cancel a signed order: its obligations are reversed, its units go back to the
    requirements' open needs."""
    require(actor, "order.manage", coalition=coalition)
    written = written_reason(reason)
    order = _locked(coalition, reference)
    if order.delivered:
        raise OrderState(
            f"order {reference} has {order.delivered} delivered "
            f"item{'s' if order.delivered != 1 else ''}: it cannot be cancelled, close it "
            "instead",
            code="order.delivered",
        )
    requirements = set(order.lines.values_list("requirement_id", flat=True))
    ledger = _release(actor, order, timezone.localdate())
    order.status = OrderStatus.CANCELLED
    order.revision += 1
    order.save(update_fields=["status", "revision"])
    requirement_statuses_update(requirement_ids=requirements)
    audit_record(
        actor=actor,
        action="order.cancelled",
        object_type="order",
        object_id=f"{coalition.slug}:{reference}",
        changes={"revision": revision_append(actor, order, written), "ledger": ledger},
    )
    return order
