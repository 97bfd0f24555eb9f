"""Competitions the fund manager runs for the coalition: created for a category with a
budget and a bid deadline, opened, closed (offers are frozen from then on), cancelled;
awarded when a plan using their offers is approved (orders.py)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.finance.models import Channel, Fund
from coalition.finance.money import MAX_AMOUNT, is_currency, parse_amount, to_minor
from coalition.governance.models import Category, Coalition
from coalition.procurement.errors import (
    CompetitionInvalid,
    CompetitionNotFound,
    CompetitionState,
    DuplicateReference,
)
from coalition.procurement.models import Competition, CompetitionStatus, Participation
from coalition.records import iso_date
from coalition.text import text_problem

MAX_REFERENCE = 100


def competition_locked(*, coalition: Coalition, reference: str) -> Competition:
    """The competition, locked for the calling service's transaction."""
    found = (
        Competition.objects.select_for_update()
        .filter(coalition=coalition, reference=reference)
        .first()
    )
    if found is None:
        raise CompetitionNotFound(f"no competition '{reference}' in coalition '{coalition.slug}'")
    return found


def _reference(value: str) -> str:
    reference = str(value).strip()
    problem = text_problem(reference, max_length=MAX_REFERENCE)
    if problem or not reference:
        raise CompetitionInvalid(f"the reference {problem or 'is required'}", field="reference")
    return reference


def _budget(value: Decimal | str, currency: str) -> int:
    if not is_currency(currency):
        raise CompetitionInvalid(f"'{currency}' is not an ISO 4217 currency code", field="currency")
    try:
        amount = parse_amount(str(value))
        if amount <= 0 or amount > MAX_AMOUNT:
            raise ValueError(f"must be greater than zero and at most {MAX_AMOUNT:,}")
        return to_minor(amount, currency)
    except ValueError as error:
        raise CompetitionInvalid(f"the budget {error}", field="budget") from None


def _category(slug: str) -> Category:
    found = Category.objects.filter(slug=str(slug).strip().lower()).first()
    if found is None:
        known = ", ".join(Category.objects.values_list("slug", flat=True))
        raise CompetitionInvalid(f"unknown category '{slug}' ({known})", field="category")
    return found


def _deadline(value: date | str) -> date:
    try:
        return iso_date(value)
    except ValueError as error:
        raise CompetitionInvalid(f"the bid deadline {error}", field="bid_deadline") from None


@transaction.atomic
def competition_create(
    *,
    actor: Actor,
    coalition: Coalition,
    reference: str,
    category: str,
    budget: Decimal | str,
    currency: str,
    bid_deadline: date | str,
    trial_quantity: int = 0,
    draft: bool = False,
) -> Competition:
    """Open a competition (or prepare it as a draft) for one capability category."""
    require(actor, "competition.manage", coalition=coalition)
    reference = _reference(reference)
    currency = str(currency).strip().upper()
    budget_minor = _budget(budget, currency)
    found = _category(category)
    deadline = _deadline(bid_deadline)
    if not 0 <= int(trial_quantity) <= 10**9:
        raise CompetitionInvalid(
            "the trial quantity must be between 0 and 1,000,000,000", field="trial_quantity"
        )
    if Competition.objects.filter(coalition=coalition, reference=reference).exists():
        raise DuplicateReference(f"competition {reference} exists already", field="reference")
    competition = Competition.objects.create(
        coalition=coalition,
        reference=reference,
        category=found,
        budget_minor=budget_minor,
        currency=currency,
        bid_deadline=deadline,
        trial_quantity=int(trial_quantity),
        status=CompetitionStatus.DRAFT if draft else CompetitionStatus.OPEN,
    )
    audit_record(
        actor=actor,
        action="competition.created",
        object_type="competition",
        object_id=f"{coalition.slug}:{reference}",
        changes={
            "category": found.slug,
            "budget": competition.budget,
            "currency": currency,
            "bid_deadline": deadline,
            "trial_quantity": competition.trial_quantity,
            "status": competition.status,
        },
    )
    return competition


# What each move allows: from these statuses, to this one.
MOVES: dict[str, tuple[set[str], str]] = {
    "open": ({CompetitionStatus.DRAFT}, CompetitionStatus.OPEN),
    "close": ({CompetitionStatus.OPEN}, CompetitionStatus.CLOSED),
    "cancel": (
        {CompetitionStatus.DRAFT, CompetitionStatus.OPEN, CompetitionStatus.CLOSED},
        CompetitionStatus.CANCELLED,
    ),
}


@transaction.atomic
def competition_move(
    *, actor: Actor, coalition: Coalition, reference: str, move: str, note: str = ""
) -> Competition:
    """Open a draft, close an open competition (its offers are frozen from then on, even
    before the deadline), or cancel one that has not been awarded."""
    require(actor, "competition.manage", coalition=coalition)
    if move not in MOVES:
        raise CompetitionInvalid(f"unknown move '{move}' ({', '.join(MOVES)})", field="move")
    competition = competition_locked(coalition=coalition, reference=reference)
    allowed, target = MOVES[move]
    if competition.status not in allowed:
        raise CompetitionState(
            f"competition {reference} is {competition.status}: it cannot be moved to {target}"
        )
    before = competition.status
    competition.status = target
    competition.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=f"competition.{target}",
        object_type="competition",
        object_id=f"{coalition.slug}:{reference}",
        changes={"from": before, "to": target, "note": note},
    )
    return competition


def competition_award(*, actor: Actor, competition: Competition) -> dict[str, Any]:
    """Mark a closed competition awarded (inside the approval's transaction); the change
    goes into the approval's audit event."""
    if competition.status == CompetitionStatus.AWARDED:
        return {}
    if competition.status != CompetitionStatus.CLOSED:
        raise CompetitionState(
            f"competition {competition.reference} is {competition.status}, not closed"
        )
    competition.status = CompetitionStatus.AWARDED
    competition.save(update_fields=["status"])
    return {"competition": competition.reference, "awarded_on": timezone.localdate()}


@transaction.atomic
def competition_join(
    *, actor: Actor, coalition: Coalition, reference: str, fund_id: int
) -> Participation:
    """A national or industry programme joins a competition's purchase: the fund manager
    may then obligate its money for the competition's orders. Its delegation decides."""
    fund = Fund.objects.filter(coalition=coalition, id=fund_id).select_related("country").first()
    if fund is None:
        raise CompetitionInvalid(f"no fund {fund_id} in coalition '{coalition.slug}'", field="fund")
    if fund.channel == Channel.COMMON_FUND:
        raise CompetitionInvalid("the common fund takes part in every purchase", field="fund")
    require(actor, "competition.join", coalition=coalition, holder=fund.country_id)
    competition = competition_locked(coalition=coalition, reference=reference)
    if competition.status in (CompetitionStatus.AWARDED, CompetitionStatus.CANCELLED):
        raise CompetitionState(f"competition {reference} is {competition.status}")
    joined, created = Participation.objects.get_or_create(
        competition=competition,
        fund=fund,
        defaults={"joined_by_id": actor.user_id, "joined_at": timezone.now()},
    )
    if created:
        audit_record(
            actor=actor,
            action="competition.joined",
            object_type="competition",
            object_id=f"{coalition.slug}:{reference}",
            changes={"fund": fund.code},
        )
    return joined
