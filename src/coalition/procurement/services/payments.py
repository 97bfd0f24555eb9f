"""The fund manager pays the supplier for accepted items, and closes the order.

A payment moves money in the ledger from the order's obligations to paid out, from the
funds the plan named (the order's fundings), split in proportion to what each still holds
obligated for this order (largest remainder in minor units, ties to the funding listed
first): one transaction per payment under `payment:<coalition>:<reference>`. Never more
than accepted x unit price minus what was paid (the database's check on the order is the
last guard); the same reference with the same figures is a replay that changes nothing.
Closing an order releases what each funding still holds obligated (obligated ->
available) and appends a revision; a closed order takes no more deliveries, inspections
or payments."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.finance.models import AccountKind, Posting
from coalition.finance.money import from_minor, parse_amount, to_minor
from coalition.finance.services.obligations import (
    Obligation,
    obligations_pay,
    obligations_release,
)
from coalition.governance.models import Coalition
from coalition.procurement.errors import (
    OrderInvalid,
    OrderState,
    PaymentInvalid,
    PaymentReferenceTaken,
    PaymentRefused,
)
from coalition.procurement.models import (
    ItemStatus,
    Order,
    OrderFunding,
    OrderStatus,
    Payment,
)
from coalition.procurement.services.inspections import order_locked
from coalition.procurement.services.needs import requirement_statuses_update
from coalition.procurement.services.order_changes import written_reason
from coalition.procurement.services.orders import revision_append
from coalition.records import iso_date
from coalition.text import text_problem


@dataclass(frozen=True)
class Share:
    """What one funding of an order holds obligated for it, and its part of a movement."""

    funding: OrderFunding
    held_minor: int
    part_minor: int = 0


def payment_key(coalition: Coalition, reference: str) -> str:
    return f"payment:{coalition.slug}:{reference}"


def _money(minor: int, currency: str) -> str:
    return f"{currency} {from_minor(minor, currency):,.2f}"


def paid_by_funding(order: Order) -> dict[tuple[int, str, str], int]:
    """Minor units paid for `order` from each (fund, category, origin), read from the
    ledger's postings of the order's payments."""
    keys = list(order.payments.values_list("transaction_key", flat=True))
    rows = (
        Posting.objects.filter(
            transaction__idempotency_key__in=keys, account__kind=AccountKind.PAID
        )
        .values_list("account__fund_id", "account__category", "account__origin")
        .annotate(total=Sum("amount_minor"))
    )
    return {(fund, category, origin): int(total) for fund, category, origin, total in rows}


def obligated_shares(order: Order) -> list[Share]:
    """Each funding of `order` with what it still holds obligated for it (its amount
    minus what was paid from it), in a fixed order."""
    paid = paid_by_funding(order)
    fundings = order.fundings.select_related("fund", "fund__coalition").order_by(
        "fund_id", "category", "origin"
    )
    return [
        Share(f, f.amount_minor - paid.get((f.fund_id, f.category, f.origin), 0)) for f in fundings
    ]


def split(amount_minor: int, shares: Sequence[Share]) -> list[Share]:
    """`amount_minor` over `shares` in proportion to what each holds, largest remainder
    first (ties: the share listed first); never more than a share holds."""
    held = sum(s.held_minor for s in shares)
    assert 0 <= amount_minor <= held
    if held == 0:
        return [Share(s.funding, s.held_minor, 0) for s in shares]
    parts = [amount_minor * s.held_minor // held for s in shares]
    remainders = [amount_minor * s.held_minor % held for s in shares]
    left = amount_minor - sum(parts)
    for index in sorted(range(len(shares)), key=lambda i: (-remainders[i], i))[:left]:
        parts[index] += 1
    return [Share(s.funding, s.held_minor, p) for s, p in zip(shares, parts, strict=True)]


def _parts(order: Order, key: str, shares: Sequence[Share], memo: str) -> list[Obligation]:
    return [
        Obligation(
            key=key,
            fund=s.funding.fund,
            category=s.funding.category,
            origin=s.funding.origin,
            amount=from_minor(s.part_minor, s.funding.currency),
            currency=s.funding.currency,
            purpose_category=order.category_id,
            purpose_origin=order.offer.origin_id,
            memo=memo,
            joined=s.funding.joined,
        )
        for s in shares
        if s.part_minor > 0
    ]


def _amount(amount: Decimal | str, currency: str) -> int:
    try:
        value = amount if isinstance(amount, Decimal) else parse_amount(str(amount))
        minor = to_minor(value, currency)
    except ValueError as error:
        raise PaymentInvalid(f"the amount {error}", field="amount") from None
    if minor <= 0:
        raise PaymentInvalid("the amount must be greater than zero", field="amount")
    return minor


def _text(value: str, field: str, max_length: int) -> str:
    written = str(value or "").strip()
    if problem := text_problem(written, max_length=max_length):
        raise PaymentInvalid(f"the {field} {problem}", field=field)
    return written


def _existing(coalition: Coalition, reference: str) -> Payment | None:
    return (
        Payment.objects.select_related("order")
        .filter(coalition=coalition, reference=reference)
        .first()
    )


def _replay(existing: Payment, order: str, amount: Decimal | str, day: date) -> Payment:
    minor = _amount(amount, existing.currency)
    if (existing.order.reference, existing.amount_minor, existing.paid_on) == (order, minor, day):
        return existing
    raise PaymentReferenceTaken(
        f"payment reference {existing.reference} is taken: "
        f"{_money(existing.amount_minor, existing.currency)} paid on {existing.paid_on} "
        f"for order {existing.order.reference}",
        field="reference",
    )


def _payable(order: Order, minor: int) -> None:
    if order.accepted == 0:
        raise PaymentRefused(
            f"order {order.reference} has no accepted item yet: nothing is paid before the "
            "beneficiary accepts",
            code="payment.before_acceptance",
        )
    worth = order.accepted * order.unit_price_minor
    payable = worth - order.paid_minor
    if minor > payable:
        raise PaymentRefused(
            f"{_money(minor, order.currency)} is more than order {order.reference} can be "
            f"paid: {order.accepted} accepted x {_money(order.unit_price_minor, order.currency)}"
            f" = {_money(worth, order.currency)}, {_money(order.paid_minor, order.currency)} "
            f"already paid, {_money(payable, order.currency)} payable",
            field="amount",
            code="payment.exceeds_accepted",
        )


@transaction.atomic
def order_pay(
    *,
    actor: Actor,
    coalition: Coalition,
    order: str,
    reference: str,
    amount: Decimal | str,
    paid_on: date | str,
    note: str = "",
) -> Payment:
    """Pay the supplier of `order` for accepted items, from the funds that obligated it;
    the same reference again with the same order, amount and date returns the payment
    already recorded and changes nothing."""
    require(actor, "order.pay", coalition=coalition)
    written = _text(reference, "reference", 100)
    if not written:
        raise PaymentInvalid("a payment needs a reference", field="reference")
    note = _text(note, "note", 1000)
    try:
        day = iso_date(paid_on)
    except ValueError as error:
        raise PaymentInvalid(f"the date {error}", field="date") from None
    existing = _existing(coalition, written)
    if existing is not None:  # a replay, even of an order closed since
        return _replay(existing, str(order), amount, day)
    found = order_locked(coalition, order, "payments")
    minor = _amount(amount, found.currency)
    existing = _existing(coalition, written)  # recorded while we waited for the lock
    if existing is not None:
        return _replay(existing, str(order), amount, day)
    if day < found.signed_on:
        raise PaymentInvalid(
            f"paid on {day}, before order {found.reference} was signed ({found.signed_on})",
            field="date",
        )
    _payable(found, minor)
    shares = obligated_shares(found)
    if any(s.funding.currency != found.currency for s in shares):
        raise PaymentRefused(f"order {found.reference} is funded in another currency")
    held = sum(s.held_minor for s in shares)
    if minor > held:
        raise PaymentRefused(
            f"order {found.reference}'s funds hold {_money(held, found.currency)} obligated "
            f"for it, less than {_money(minor, found.currency)}",
            field="amount",
            code="payment.exceeds_obligated",
        )
    key = payment_key(coalition, written)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                coalition=coalition,
                order=found,
                reference=written,
                currency=found.currency,
                amount_minor=minor,
                paid_on=day,
                transaction_key=key,
                note=note,
                created_by_id=actor.user_id,
            )
    except IntegrityError:  # the same reference, recorded meanwhile for another order
        existing = _existing(coalition, written)
        if existing is None:
            raise
        return _replay(existing, str(order), amount, day)
    parts = split(minor, shares)
    memo = f"payment {written} of order {found.reference} ({found.supplier.name})"
    posted = obligations_pay(
        actor=actor, key=key, parts=_parts(found, key, parts, memo), on=day, memo=memo
    )
    if not posted.created:
        raise PaymentReferenceTaken(f"ledger transaction {key} already exists", field="reference")
    Order.objects.filter(pk=found.pk).update(paid_minor=F("paid_minor") + minor)
    found.refresh_from_db(fields=["paid_minor"])
    audit_record(
        actor=actor,
        action="order.paid",
        object_type="order",
        object_id=f"{coalition.slug}:{found.reference}",
        changes={
            "payment": written,
            "amount": str(from_minor(minor, found.currency)),
            "currency": found.currency,
            "paid_on": day,
            "note": note,
            "funds": [
                {
                    "fund": p.funding.fund.code,
                    "category": p.funding.category,
                    "origin": p.funding.origin,
                    "amount": str(from_minor(p.part_minor, p.funding.currency)),
                }
                for p in parts
                if p.part_minor
            ],
            "paid": str(from_minor(found.paid_minor, found.currency)),
            "ledger": posted.ledger,
        },
    )
    return payment


@transaction.atomic
def order_close(
    *, actor: Actor, coalition: Coalition, order: str, on: date | str, reason: str
) -> Order:
    """Close a signed order: what its fundings still hold obligated for it goes back to
    the funds (obligated -> available) and it takes no more deliveries, inspections or
    payments. Refused while items await inspection."""
    require(actor, "order.manage", coalition=coalition)
    written = written_reason(reason)
    try:
        day = iso_date(on)
    except ValueError as error:
        raise OrderInvalid(f"the date {error}", field="date") from None
    found = order_locked(coalition, order, "closing")
    waiting = found.items.filter(status=ItemStatus.DELIVERED).count()
    if waiting:
        raise OrderState(
            f"order {found.reference} has {waiting} item{'s' if waiting != 1 else ''} "
            "awaiting inspection: accept or reject them before closing it",
            code="order.awaiting_inspection",
        )
    if day < found.signed_on:
        raise OrderInvalid(
            f"closed on {day}, before order {found.reference} was signed ({found.signed_on})",
            field="date",
        )
    shares = [s for s in obligated_shares(found) if s.held_minor > 0]
    key = f"order:{coalition.slug}:{found.reference}:released"
    memo = f"order {found.reference} closed: the rest of its obligations released"
    ledger: dict[str, object] = {}
    if shares:
        parts = [Share(s.funding, s.held_minor, s.held_minor) for s in shares]
        ledger = obligations_release(
            actor=actor, key=key, parts=_parts(found, key, parts, memo), on=day, memo=memo
        ).ledger
    found.status, found.closed_on = OrderStatus.CLOSED, day
    found.revision += 1
    found.save(update_fields=["status", "closed_on", "revision"])
    requirement_statuses_update(
        requirement_ids=set(found.lines.values_list("requirement_id", flat=True))
    )
    audit_record(
        actor=actor,
        action="order.closed",
        object_type="order",
        object_id=f"{coalition.slug}:{found.reference}",
        changes={
            "on": day,
            "released": [
                {
                    "fund": s.funding.fund.code,
                    "category": s.funding.category,
                    "origin": s.funding.origin,
                    "amount": str(from_minor(s.held_minor, s.funding.currency)),
                }
                for s in shares
            ],
            "revision": revision_append(actor, found, written),
            "ledger": ledger,
        },
    )
    return found
