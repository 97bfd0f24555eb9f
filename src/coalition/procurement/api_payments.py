"""Thin REST router of an order after delivery: the beneficiary's inspections (accept or
reject a lot or serials), the fund manager's payments to the supplier and the closing
of the order (what is left of its obligations goes back to the funds)."""

from collections import defaultdict

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from coalition.access.actor import actor_of
from coalition.finance.models import AccountKind, Posting
from coalition.finance.money import from_minor
from coalition.governance.selectors import coalition_get
from coalition.procurement import selectors
from coalition.procurement.api_orders import ORDER, order_detail_out
from coalition.procurement.models import Inspection, Payment
from coalition.procurement.schemas_payments import (
    CloseIn,
    InspectionIn,
    InspectionOut,
    PaidFromOut,
    PaymentIn,
    PaymentOut,
)
from coalition.procurement.schemas_purchase import OrderDetailOut
from coalition.procurement.services import inspections, payments

router = Router(tags=["purchases"])


def inspection_out(i: Inspection) -> InspectionOut:
    return InspectionOut(
        id=i.pk,
        verdict=i.verdict,
        reason=i.reason,
        note=i.note,
        lot=i.lot,
        items=i.items,
        serials=sorted(i.decided.values_list("serial", flat=True)),
        date=i.decided_on,
    )


def payments_out(found: list[Payment]) -> list[PaymentOut]:
    """Each payment with the funds it was paid from (its ledger postings)."""
    postings = (
        Posting.objects.filter(
            transaction__idempotency_key__in=[p.transaction_key for p in found],
            account__kind=AccountKind.PAID,
        )
        .select_related("transaction", "account__fund")
        .order_by("account__fund_id", "account__category", "account__origin")
    )
    paid_from: dict[str, list[PaidFromOut]] = defaultdict(list)
    for posting in postings:
        account = posting.account
        paid_from[posting.transaction.idempotency_key].append(
            PaidFromOut(
                fund=account.fund.code,
                category=account.category or None,
                origin=account.origin or None,
                amount=f"{posting.amount:.2f}",
            )
        )
    return [
        PaymentOut(
            reference=p.reference,
            amount=f"{from_minor(p.amount_minor, p.currency):.2f}",
            currency=p.currency,
            date=p.paid_on,
            note=p.note,
            transaction=p.transaction_key,
            paid_from=paid_from[p.transaction_key],
        )
        for p in found
    ]


@router.post(
    ORDER + "/inspections",
    response={201: InspectionOut},
    summary="Accept or reject delivered items: a lot or serials (the beneficiary)",
    description="Either `lot` (its items still awaiting inspection) or `serials` (each "
    "awaiting inspection); a rejection needs a `reason`, an acceptance has none. Items "
    "already decided are refused (409 inspection.decided), naming them.",
)
def inspection_create(
    request: HttpRequest, slug: str, reference: str, body: InspectionIn
) -> Status:
    inspection = inspections.items_inspect(
        actor=actor_of(request),
        coalition=coalition_get(slug=slug),
        order=reference,
        verdict=body.verdict,
        lot=body.lot,
        serials=body.serials,
        reason=body.reason,
        note=body.note,
        on=body.date,
    )
    return Status(201, inspection_out(inspection))


@router.get(ORDER + "/inspections", response=list[InspectionOut], summary="An order's inspections")
def inspection_list(request: HttpRequest, slug: str, reference: str) -> list[InspectionOut]:
    order = selectors.order_get(
        actor=actor_of(request), coalition=coalition_get(slug=slug), reference=reference
    )
    return [inspection_out(i) for i in order.inspections.order_by("decided_on", "id")]


@router.post(
    ORDER + "/payments",
    response={201: PaymentOut},
    summary="Pay the supplier for accepted items (the fund manager)",
    description="Moves the amount from the order's obligations to paid out, split over its "
    "funds in proportion to what each still holds for it. Refused before any acceptance "
    "(409 payment.before_acceptance) and beyond accepted x unit price minus what was paid "
    "(409 payment.exceeds_accepted). The same reference with the same order, amount and "
    "date answers the payment already recorded and changes nothing; with other figures, "
    "409 payment.reference_taken.",
)
def payment_create(request: HttpRequest, slug: str, reference: str, body: PaymentIn) -> Status:
    payment = payments.order_pay(
        actor=actor_of(request),
        coalition=coalition_get(slug=slug),
        order=reference,
        reference=body.reference,
        amount=body.amount,
        paid_on=body.date,
        note=body.note,
    )
    return Status(201, payments_out([payment])[0])


@router.get(ORDER + "/payments", response=list[PaymentOut], summary="An order's payments")
def payment_list(request: HttpRequest, slug: str, reference: str) -> list[PaymentOut]:
    order = selectors.order_get(
        actor=actor_of(request), coalition=coalition_get(slug=slug), reference=reference
    )
    return payments_out(list(order.payments.order_by("paid_on", "id")))


@router.post(
    ORDER + "/close",
    response=OrderDetailOut,
    summary="Close an order: what is left of its obligations is released (fund manager)",
    description="Refused while items await inspection (409 order.awaiting_inspection). A "
    "closed order takes no more deliveries, inspections or payments.",
)
def order_close(request: HttpRequest, slug: str, reference: str, body: CloseIn) -> OrderDetailOut:
    actor = actor_of(request)
    coalition = coalition_get(slug=slug)
    payments.order_close(
        actor=actor,
        coalition=coalition,
        order=reference,
        on=body.date or timezone.localdate(),
        reason=body.reason,
    )
    return order_detail_out(
        selectors.order_get(actor=actor, coalition=coalition, reference=reference)
    )
