"""Thin REST router of competitions: opened by the fund manager, offers received until the
bid deadline, reviewed by member delegations, joined by programmes, then closed."""

from django.http import HttpRequest
from ninja import File, Router, Status, UploadedFile

from coalition.access.actor import actor_of
from coalition.finance.money import from_minor
from coalition.governance.selectors import coalition_get
from coalition.procurement import selectors
from coalition.procurement.models import Competition, Offer
from coalition.procurement.schemas_purchase import (
    CompetitionIn,
    CompetitionOut,
    ImportOut,
    JoinIn,
    JoinOut,
    MoveIn,
    OfferIn,
    OfferOut,
    ReviewIn,
    ReviewOut,
    TierIO,
)
from coalition.procurement.services import competitions as services
from coalition.procurement.services import offers as offer_services

router = Router(tags=["purchases"])
COMPETITION = "/coalitions/{slug}/competitions/{reference}"


def competition_out(c: Competition) -> CompetitionOut:
    return CompetitionOut(
        reference=c.reference,
        category=c.category_id,
        budget=f"{from_minor(c.budget_minor, c.currency):.2f}",
        currency=c.currency,
        bid_deadline=c.bid_deadline,
        status=c.status,
        trial_quantity=c.trial_quantity,
        offers=c.offers.count(),
        programmes=sorted(p.fund.code for p in c.participations.select_related("fund")),
    )


@router.get(
    "/coalitions/{slug}/competitions", response=list[CompetitionOut], summary="Competitions"
)
def competitions(request: HttpRequest, slug: str) -> list[CompetitionOut]:
    found = selectors.competitions_list(actor=actor_of(request), coalition=coalition_get(slug=slug))
    return [competition_out(c) for c in found.order_by("bid_deadline", "reference")]


@router.post(
    "/coalitions/{slug}/competitions",
    response={201: CompetitionOut},
    summary="Open a competition (by the fund manager)",
)
def competition_create(request: HttpRequest, slug: str, body: CompetitionIn) -> Status:
    created = services.competition_create(
        actor=actor_of(request), coalition=coalition_get(slug=slug), **body.dict()
    )
    return Status(201, competition_out(created))


@router.get(COMPETITION, response=CompetitionOut, summary="A competition")
def competition(request: HttpRequest, slug: str, reference: str) -> CompetitionOut:
    return competition_out(
        selectors.competition_get(
            actor=actor_of(request), coalition=coalition_get(slug=slug), reference=reference
        )
    )


@router.post(
    COMPETITION + "/moves",
    response=CompetitionOut,
    summary="Open, close or cancel a competition (by the fund manager)",
    description="`move`: open (a draft), close (no more offers; its offers can be planned) "
    "or cancel.",
)
def competition_move(
    request: HttpRequest, slug: str, reference: str, body: MoveIn
) -> CompetitionOut:
    moved = services.competition_move(
        actor=actor_of(request),
        coalition=coalition_get(slug=slug),
        reference=reference,
        move=body.move,
        note=body.note,
    )
    return competition_out(moved)


@router.post(
    COMPETITION + "/participations",
    response={201: JoinOut},
    summary="Bring a programme into the competition's purchase (by its own delegation)",
)
def competition_join(request: HttpRequest, slug: str, reference: str, body: JoinIn) -> Status:
    joined = services.competition_join(
        actor=actor_of(request),
        coalition=coalition_get(slug=slug),
        reference=reference,
        fund_id=body.fund,
    )
    return Status(
        201, JoinOut(competition=reference, fund=joined.fund.code, joined_at=joined.joined_at)
    )


def offer_out(o: Offer) -> OfferOut:
    return OfferOut(
        reference=o.reference,
        supplier=o.supplier.name,
        supplier_country=o.supplier.country_id,
        origin=o.origin_id,
        currency=o.currency,
        capacity_per_30_days=o.capacity_per_30_days,
        lead_time_days=o.lead_time_days,
        valid_until=o.valid_until,
        received_on=o.received_on,
        tiers=[
            TierIO(
                min_quantity=t.min_quantity,
                unit_price=f"{from_minor(t.unit_price_minor, o.currency):.2f}",
            )
            for t in sorted(o.tiers.all(), key=lambda t: t.min_quantity)
        ],
        tested=getattr(o, "tested", False),
        reviews=[
            ReviewOut(
                country=r.country_id, score=r.score, comment=r.comment, reviewed_at=r.reviewed_at
            )
            for r in sorted(o.reviews.all(), key=lambda r: r.country_id)
        ],
    )


def _offers(request: HttpRequest, slug: str, reference: str) -> list[Offer]:
    actor = actor_of(request)
    found = selectors.competition_get(
        actor=actor, coalition=coalition_get(slug=slug), reference=reference
    )
    return selectors.offers_list(actor=actor, competition=found)


@router.get(
    COMPETITION + "/offers",
    response=list[OfferOut],
    summary="A competition's offers, their tiers, test status and members' reviews",
)
def offers(request: HttpRequest, slug: str, reference: str) -> list[OfferOut]:
    return [offer_out(o) for o in _offers(request, slug, reference)]


@router.post(
    COMPETITION + "/offers",
    response={201: OfferOut},
    summary="Enter one offer (by the fund manager, until the bid deadline)",
)
def offer_create(request: HttpRequest, slug: str, reference: str, body: OfferIn) -> Status:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    fields = body.dict()
    tiers = [(t["min_quantity"], t["unit_price"]) for t in fields.pop("tiers")]
    found = selectors.competition_get(actor=actor, coalition=coalition, reference=reference)
    fields["valid_until"] = fields["valid_until"].isoformat() if fields["valid_until"] else ""
    created = offer_services.offer_record(
        actor=actor,
        coalition=coalition,
        competition=reference,
        fields={**fields, "category": found.category_id},
        tiers=tiers,
    )
    [out] = [o for o in _offers(request, slug, reference) if o.pk == created.pk]
    return Status(201, offer_out(out))


@router.post(
    COMPETITION + "/offers/import",
    response=ImportOut,
    summary="Import a competition's offers file (.csv or .xlsx), all or nothing",
)
def offers_import(
    request: HttpRequest,
    slug: str,
    reference: str,
    file: UploadedFile = File(...),  # noqa: B008
) -> ImportOut:
    name = file.name or "offers.csv"
    result = offer_services.offers_import(
        actor=actor_of(request),
        coalition=coalition_get(slug=slug),
        competition=reference,
        data=file,
        name=name,
    )
    return ImportOut(
        file=name, rows=result.rows, created=result.created, unchanged=result.unchanged
    )


@router.post(
    COMPETITION + "/offers/{offer}/reviews",
    response={201: ReviewOut},
    summary="A member delegation's review of an offer (a second one replaces it)",
)
def review_create(
    request: HttpRequest, slug: str, reference: str, offer: str, body: ReviewIn
) -> Status:
    review = offer_services.review_record(
        actor=actor_of(request),
        coalition=coalition_get(slug=slug),
        competition=reference,
        offer=offer,
        score=body.score,
        comment=body.comment,
    )
    return Status(
        201,
        ReviewOut(
            country=review.country_id,
            score=review.score,
            comment=review.comment,
            reviewed_at=review.reviewed_at,
        ),
    )
