"""Suppliers, their offers in a competition (entered by the fund manager or uploaded, all
or nothing, and only while the competition is open and its deadline not passed), the
testing gate's results, and the member delegations' reviews of offers."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.errors import FileRejected, Message, RowError, _
from coalition.finance.money import to_minor
from coalition.governance.models import Category, Coalition, Country
from coalition.procurement import offersfile
from coalition.procurement.errors import (
    CompetitionState,
    DuplicateReference,
    OfferNotFound,
    ReviewInvalid,
    SupplierNotFound,
    TrialInvalid,
)
from coalition.procurement.models import (
    Competition,
    CompetitionStatus,
    Offer,
    OfferTier,
    Review,
    Supplier,
    TrialOutcome,
    TrialResult,
)
from coalition.procurement.services.competitions import competition_locked
from coalition.records import IS_REQUIRED, iso_date
from coalition.tabular import Source
from coalition.text import text_problem


@dataclass(frozen=True)
class OffersImport:
    rows: int
    created: list[str]
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _receiving(competition: Competition, on: date) -> None:
    """Offers arrive while the competition is open and until its deadline, never after."""
    if competition.status != CompetitionStatus.OPEN:
        raise CompetitionState(
            f"competition {competition.reference} is {competition.status}: its offers are frozen",
            code="competition.not_open",
        )
    if on > competition.bid_deadline:
        raise CompetitionState(
            f"the bid deadline of competition {competition.reference} was "
            f"{competition.bid_deadline.isoformat()}: offers are frozen",
            code="competition.deadline_passed",
        )


def _supplier(coalition: Coalition, draft: offersfile.OfferDraft) -> Supplier:
    supplier, _ = Supplier.objects.get_or_create(
        coalition=coalition,
        name=draft.supplier,
        defaults={"country_id": draft.supplier_country},
    )
    return supplier


def _same(stored: Offer, draft: offersfile.OfferDraft) -> bool:
    tiers = {t.min_quantity: t.unit_price_minor for t in stored.tiers.all()}
    return (
        stored.supplier.name == draft.supplier
        and stored.origin_id == draft.origin
        and stored.currency == draft.currency
        and stored.capacity_per_30_days == draft.capacity_per_30_days
        and stored.lead_time_days == draft.lead_time_days
        and stored.valid_until == draft.valid_until
        and tiers == {q: to_minor(p, draft.currency) for q, p in draft.tiers.items()}
    )


def _check_drafts(
    *, competition: Competition, drafts: list[offersfile.OfferDraft], file: str, on: date
) -> tuple[list[offersfile.OfferDraft], int, list[RowError]]:
    """Offers to create, offers stored as given, and what the database refuses: another
    category than the competition's, another currency, a supplier of another country,
    an offer expiring before it is received, a stored offer given other values."""
    stored = {
        o.reference: o
        for o in competition.offers.select_related("supplier").prefetch_related("tiers")
    }
    suppliers = dict(
        Supplier.objects.filter(coalition=competition.coalition).values_list("name", "country_id")
    )
    new: list[offersfile.OfferDraft] = []
    unchanged = 0
    errors: list[RowError] = []

    def fail(draft: offersfile.OfferDraft, column: str, message: Message) -> None:
        errors.append(RowError(file, draft.row, column, message))

    for draft in drafts:
        if draft.category != competition.category_id:
            fail(
                draft,
                "category",
                Message(
                    _("competition %(competition)s is for %(expected)s, not %(value)s"),
                    competition=competition.reference,
                    expected=competition.category_id,
                    value=draft.category,
                ),
            )
        if draft.currency != competition.currency:
            fail(
                draft,
                "currency",
                Message(
                    _("competition %(competition)s is in %(expected)s, not %(value)s"),
                    competition=competition.reference,
                    expected=competition.currency,
                    value=draft.currency,
                ),
            )
        known = suppliers.get(draft.supplier)
        if known is not None and known != draft.supplier_country:
            message = Message(
                _("%(supplier)s is registered in %(country)s"),
                supplier=draft.supplier,
                country=known,
            )
            fail(draft, "supplier_country", message)
        if draft.valid_until is not None and draft.valid_until < on:
            message = Message(
                _("the offer expired on %(date)s"), date=draft.valid_until.isoformat()
            )
            fail(draft, "valid_until", message)
        if draft.reference in stored:
            if _same(stored[draft.reference], draft):
                unchanged += 1
            else:
                fail(
                    draft,
                    "offer",
                    Message(
                        _(
                            "offer %(offer)s is already recorded with other values; offers "
                            "are not edited"
                        ),
                        offer=draft.reference,
                    ),
                )
        else:
            new.append(draft)
    return new, unchanged, errors


def _create(*, competition: Competition, drafts: list[offersfile.OfferDraft], on: date) -> None:
    for draft in drafts:
        offer = Offer.objects.create(
            competition=competition,
            reference=draft.reference,
            supplier=_supplier(competition.coalition, draft),
            origin_id=draft.origin,
            currency=draft.currency,
            capacity_per_30_days=draft.capacity_per_30_days,
            lead_time_days=draft.lead_time_days,
            valid_until=draft.valid_until,
            received_on=on,
        )
        OfferTier.objects.bulk_create(
            OfferTier(offer=offer, min_quantity=q, unit_price_minor=to_minor(p, draft.currency))
            for q, p in sorted(draft.tiers.items())
        )


def _summary(draft: offersfile.OfferDraft) -> dict[str, Any]:
    return {
        "offer": draft.reference,
        "supplier": draft.supplier,
        "origin": draft.origin,
        "capacity_per_30_days": draft.capacity_per_30_days,
        "lead_time_days": draft.lead_time_days,
        "tiers": {str(q): p for q, p in sorted(draft.tiers.items())},
    }


@transaction.atomic
def _offers_write(
    *,
    actor: Actor,
    coalition: Coalition,
    competition_ref: str,
    drafts: list[offersfile.OfferDraft],
    errors: list[RowError],
    file: str,
    on: date | None,
) -> OffersImport:
    competition = competition_locked(coalition=coalition, reference=competition_ref)
    received = on or timezone.localdate()
    _receiving(competition, received)
    new, unchanged, problems = _check_drafts(
        competition=competition, drafts=drafts, file=file, on=received
    )
    errors = errors + problems
    if errors:
        raise FileRejected(sorted(errors, key=lambda e: (e.row or 0, e.column or "")))
    _create(competition=competition, drafts=new, on=received)
    if new:
        audit_record(
            actor=actor,
            action="offers.recorded",
            object_type="competition",
            object_id=f"{coalition.slug}:{competition.reference}",
            changes={"file": file, "received_on": received, "offers": [_summary(d) for d in new]},
        )
    return OffersImport(
        rows=sum(len(d.tiers) for d in drafts),
        created=[d.reference for d in new],
        unchanged=unchanged,
    )


def offers_import(
    *,
    actor: Actor,
    coalition: Coalition,
    competition: str,
    data: Source,
    name: str,
    on: date | None = None,
) -> OffersImport:
    """Import an offers file (docs/CONTRACT.md) into an open competition before its
    deadline: any error refuses the whole file, naming its row and column; offers already
    stored as given are skipped. `on`: the day of receipt (today; loaders date back)."""
    require(actor, "competition.manage", coalition=coalition)
    drafts, errors = offersfile.parse(data, name)
    return _offers_write(
        actor=actor,
        coalition=coalition,
        competition_ref=competition,
        drafts=drafts,
        errors=errors,
        file=name,
        on=on,
    )


def offer_record(
    *,
    actor: Actor,
    coalition: Coalition,
    competition: str,
    fields: dict[str, Any],
    tiers: list[tuple[int | str, Decimal | str]],
    on: date | None = None,
) -> Offer:
    """Enter one offer by hand: `fields` are the offers file's columns but the tier's
    (offer, supplier, supplier_country, origin, category, currency, capacity_per_30_days,
    lead_time_days, valid_until); `tiers` its (min_quantity, unit_price) pairs."""
    require(actor, "competition.manage", coalition=coalition)
    records = [
        (n, {**fields, "min_quantity": q, "unit_price": str(p)})
        for n, (q, p) in enumerate(tiers or [("", "")], start=1)
    ]
    drafts, errors = offersfile.from_records(records, "offer")
    _offers_write(
        actor=actor,
        coalition=coalition,
        competition_ref=competition,
        drafts=drafts,
        errors=errors,
        file="offer",
        on=on,
    )
    return Offer.objects.get(
        competition__coalition=coalition,
        competition__reference=competition,
        reference=str(fields.get("offer", "")).strip(),
    )


@transaction.atomic
def supplier_create(
    *,
    actor: Actor,
    coalition: Coalition,
    name: str,
    country: str,
    registration_number: str = "",
    contact: str = "",
) -> Supplier:
    require(actor, "competition.manage", coalition=coalition)
    values = {"name": name, "registration_number": registration_number, "contact": contact}
    for column, value in values.items():
        if problem := text_problem(str(value), max_length=300):
            raise FileRejected([RowError("supplier", None, column, problem)])
    name = str(name).strip()
    if not name:
        raise FileRejected([RowError("supplier", None, "name", IS_REQUIRED)])
    found = Country.objects.filter(code=str(country).strip().upper()).first()
    if found is None:
        unknown = Message(_("unknown country '%(value)s'"), value=country)
        raise FileRejected([RowError("supplier", None, "country", unknown)])
    if Supplier.objects.filter(coalition=coalition, name=name).exists():
        raise DuplicateReference(f"supplier {name} exists already", field="name")
    supplier = Supplier.objects.create(
        coalition=coalition,
        name=name,
        country=found,
        registration_number=str(registration_number).strip(),
        contact=str(contact).strip(),
    )
    audit_record(
        actor=actor,
        action="supplier.created",
        object_type="supplier",
        object_id=f"{coalition.slug}:{name}",
        changes={"country": found.code, "registration_number": supplier.registration_number},
    )
    return supplier


@transaction.atomic
def trial_record(
    *,
    actor: Actor,
    coalition: Coalition,
    supplier: str,
    category: str,
    outcome: str,
    on: date | str,
    site: str,
    note: str = "",
) -> TrialResult:
    """A supplier's product tested: a passed test lifts the trial cap on its offers of
    that category."""
    require(actor, "trial.record", coalition=coalition)
    found = Supplier.objects.filter(coalition=coalition, name=str(supplier).strip()).first()
    if found is None:
        raise SupplierNotFound(f"no supplier '{supplier}' in coalition '{coalition.slug}'")
    if not Category.objects.filter(slug=category).exists():
        raise TrialInvalid(f"unknown category '{category}'", field="category")
    if outcome not in TrialOutcome.values:
        raise TrialInvalid(f"the outcome is {' or '.join(TrialOutcome.values)}", field="outcome")
    try:
        day = iso_date(on)
    except ValueError as error:
        raise TrialInvalid(f"the date {error}", field="date") from None
    if day > timezone.localdate():
        raise TrialInvalid("a test result cannot be dated in the future", field="date")
    for column, value in (("site", site), ("note", note)):
        if problem := text_problem(str(value), max_length=2000):
            raise TrialInvalid(f"the {column} {problem}", field=column)
    if not str(site).strip():
        raise TrialInvalid("the test site is required", field="site")
    trial = TrialResult.objects.create(
        supplier=found,
        category_id=category,
        outcome=outcome,
        date=day,
        site=str(site).strip(),
        note=str(note).strip(),
    )
    audit_record(
        actor=actor,
        action="trial.recorded",
        object_type="supplier",
        object_id=f"{coalition.slug}:{found.name}",
        changes={"category": category, "outcome": outcome, "date": day, "site": trial.site},
    )
    return trial


@transaction.atomic
def review_record(
    *,
    actor: Actor,
    coalition: Coalition,
    competition: str,
    offer: str,
    score: int | str,
    comment: str = "",
) -> Review:
    """A member delegation's one review of an offer (score 1 to 5 and a comment); a second
    one by the same delegation replaces its score and comment, audited."""
    require(actor, "offer.review", coalition=coalition)
    found = (
        Offer.objects.select_related("competition")
        .filter(
            competition__coalition=coalition, competition__reference=competition, reference=offer
        )
        .first()
    )
    if found is None:
        raise OfferNotFound(f"no offer '{offer}' in competition '{competition}'")
    try:
        value = int(str(score).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        raise ReviewInvalid("the score is a whole number from 1 to 5", field="score")
    if problem := text_problem(str(comment), max_length=2000):
        raise ReviewInvalid(f"the comment {problem}", field="comment")
    assert actor.speaks_for is not None  # the policy's offer.review
    review, created = Review.objects.update_or_create(
        offer=found,
        country_id=actor.speaks_for,
        defaults={
            "score": value,
            "comment": str(comment).strip(),
            "reviewed_by_id": actor.user_id,
            "reviewed_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="offer.reviewed",
        object_type="offer",
        object_id=f"{coalition.slug}:{competition}:{offer}",
        changes={"country": actor.speaks_for, "score": value, "replaced": not created},
    )
    return review
