"""The beneficiary's inspection of delivered items: a lot (its items still awaiting
inspection) or a list of serials of one order is accepted, or rejected for a reason from
the list; decided items are never decided again. The order's running counts (accepted,
rejected) follow with F() under the order's row lock, and the database's checks stand
behind them. A rejected serial may be replaced by a later delivery (the manifest's
`replaces` column): the import counts active items, delivered minus rejected."""

from collections import Counter
from datetime import date

from django.db import transaction
from django.db.models import F

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance.models import Coalition
from coalition.procurement.errors import (
    InspectionInvalid,
    ItemDecided,
    OrderNotFound,
    OrderState,
)
from coalition.procurement.models import (
    DeliveredItem,
    Inspection,
    ItemStatus,
    Order,
    OrderStatus,
    RejectionReason,
    Verdict,
)
from coalition.records import iso_date
from coalition.text import text_problem

MAX_SERIALS = 10_000  # serials named in one inspection
SHOWN = 5  # serials named in one error message


def order_locked(coalition: Coalition, reference: str, what: str) -> Order:
    """The order, its row locked for the rest of the transaction; OrderState when it
    is cancelled or closed (`what` it takes no more of: "inspections", "payments")."""
    found = (
        Order.objects.select_for_update(of=("self",))
        .select_related("offer", "supplier", "coalition")
        .filter(coalition=coalition, reference=str(reference))
        .first()
    )
    if found is None:
        raise OrderNotFound(f"no order '{reference}' in coalition '{coalition.slug}'")
    if found.status == OrderStatus.CLOSED:
        raise OrderState(
            f"order {found.reference} was closed on {found.closed_on}: it takes no more {what}",
            code="order.closed",
        )
    if found.status != OrderStatus.SIGNED:
        raise OrderState(f"order {found.reference} is {found.status}: it takes no {what}")
    return found


def _listed(values: list[str], more: int) -> str:
    return ", ".join(values) + (f" and {more} more" if more > 0 else "")


def _decision(verdict: str, reason: str, note: str) -> tuple[str, str, str]:
    if verdict not in Verdict.values:
        raise InspectionInvalid(
            f"the verdict is accepted or rejected, not '{verdict}'", field="verdict"
        )
    reason = str(reason or "").strip()
    if verdict == Verdict.REJECTED and not reason:
        raise InspectionInvalid(
            "a rejection needs a reason: " + ", ".join(RejectionReason.values), field="reason"
        )
    if verdict == Verdict.ACCEPTED and reason:
        raise InspectionInvalid("an acceptance has no reason", field="reason")
    if reason and reason not in RejectionReason.values:
        raise InspectionInvalid(
            f"unknown reason '{reason}': one of " + ", ".join(RejectionReason.values),
            field="reason",
        )
    written = str(note or "").strip()
    if problem := text_problem(written, max_length=1000):
        raise InspectionInvalid(f"the note {problem}", field="note")
    return verdict, reason, written


def _by_lot(order: Order, lot: str) -> list[DeliveredItem]:
    items = list(order.items.filter(lot=lot).order_by("serial"))
    if not items:
        raise InspectionInvalid(f"order {order.reference} has no lot '{lot}'", field="lot")
    waiting = [i for i in items if i.status == ItemStatus.DELIVERED]
    if not waiting:
        counts = Counter(i.status for i in items)
        said = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        raise ItemDecided(
            f"lot {lot} of order {order.reference} has no item awaiting inspection ({said})"
        )
    return waiting


def _by_serials(order: Order, serials: list[str]) -> list[DeliveredItem]:
    named = [str(s).strip() for s in serials]
    if not named or any(not s for s in named):
        raise InspectionInvalid("name at least one serial, none empty", field="serials")
    if len(named) > MAX_SERIALS:
        raise InspectionInvalid(
            f"at most {MAX_SERIALS:,} serials in one inspection", field="serials"
        )
    twice = sorted(s for s, n in Counter(named).items() if n > 1)
    if twice:
        raise InspectionInvalid(
            f"serial named twice: {_listed(twice[:SHOWN], len(twice) - SHOWN)}", field="serials"
        )
    found = {i.serial: i for i in DeliveredItem.objects.filter(serial__in=named, order=order)}
    unknown = [s for s in named if s not in found]
    if unknown:
        raise InspectionInvalid(
            f"not an item of order {order.reference}: "
            f"{_listed(unknown[:SHOWN], len(unknown) - SHOWN)}",
            field="serials",
        )
    decided = [found[s] for s in named if found[s].status != ItemStatus.DELIVERED]
    if decided:
        said = [f"{i.serial} ({i.status})" for i in decided[:SHOWN]]
        raise ItemDecided(f"already decided: {_listed(said, len(decided) - SHOWN)}")
    return [found[s] for s in named]


@transaction.atomic
def items_inspect(
    *,
    actor: Actor,
    coalition: Coalition,
    order: str,
    verdict: str,
    lot: str = "",
    serials: list[str] | None = None,
    reason: str = "",
    note: str = "",
    on: date | str,
) -> Inspection:
    """Accept or reject delivered items of `order`: a lot (those of its items still
    awaiting inspection) or a list of serials (each awaiting inspection), all or none."""
    require(actor, "delivery.inspect", coalition=coalition)
    verdict, reason, note = _decision(str(verdict), reason, note)
    lot = str(lot or "").strip()
    if bool(lot) == bool(serials):
        raise InspectionInvalid("name either a lot or a list of serials", field="lot")
    if problem := text_problem(lot, max_length=100):
        raise InspectionInvalid(f"the lot {problem}", field="lot")
    try:
        day = iso_date(on)
    except ValueError as error:
        raise InspectionInvalid(f"the date {error}", field="date") from None
    found = order_locked(coalition, order, "inspections")
    items = _by_lot(found, lot) if lot else _by_serials(found, list(serials or []))
    latest = max(i.delivered_on for i in items)
    if day < latest:
        raise InspectionInvalid(
            f"inspected on {day}, before the items were delivered ({latest})", field="date"
        )
    inspection = Inspection.objects.create(
        order=found,
        verdict=verdict,
        reason=reason,
        note=note,
        lot=lot,
        items=len(items),
        decided_on=day,
        created_by_id=actor.user_id,
    )
    ids = [i.pk for i in items]
    changed = 0
    for start in range(0, len(ids), 500):
        changed += DeliveredItem.objects.filter(
            id__in=ids[start : start + 500], status=ItemStatus.DELIVERED
        ).update(status=verdict, inspection=inspection)
    assert changed == len(ids), "items decided behind the order's lock"
    counter = "accepted" if verdict == Verdict.ACCEPTED else "rejected"
    Order.objects.filter(pk=found.pk).update(**{counter: F(counter) + len(ids)})
    found.refresh_from_db(fields=["delivered", "accepted", "rejected"])
    audit_record(
        actor=actor,
        action=f"items.{verdict}",
        object_type="order",
        object_id=f"{coalition.slug}:{found.reference}",
        changes={
            "inspection": inspection.pk,
            "verdict": verdict,
            "reason": reason,
            "note": note,
            "lot": lot,
            "items": len(ids),
            "serials": [i.serial for i in items][:100],
            "on": day,
            "order": {
                "delivered": found.delivered,
                "accepted": found.accepted,
                "rejected": found.rejected,
            },
        },
    )
    return inspection
