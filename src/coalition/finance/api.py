"""Thin REST router of the finance domain: contributions, pledge files, funds, rates."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Router, Status, UploadedFile
from ninja.errors import HttpError

from coalition.access.actor import actor_of
from coalition.api_cache import cached_read
from coalition.finance import selectors
from coalition.finance.errors import NoRate
from coalition.finance.models import Contribution
from coalition.finance.money import RateBook, from_minor, parse_amount, to_eur
from coalition.finance.schemas import (
    ContributionIn,
    ContributionOut,
    FundOut,
    ImportOut,
    LedgerRowOut,
    RateOut,
    StepOut,
)
from coalition.finance.services.contributions import contribution_record, pledges_import
from coalition.governance.selectors import coalition_get
from coalition.schema_types import Id

router = Router(tags=["finance"])
MAX_LEDGER_ROWS = 10_000
BALANCE_AMOUNTS = ("pledges", "commitments", "available", "obligated", "paid")  # BalanceOut's


def contribution_out(c: Contribution, book: RateBook | None = None) -> ContributionOut:
    steps = []
    for s in c.steps.all():
        eur = None
        if book is not None:
            try:
                eur = str(book.to_eur(s.amount, s.currency, s.date))
            except NoRate:  # a currency with no rate on that date has no EUR value
                eur = None
        steps.append(
            StepOut(
                status=s.status,
                date=s.date,
                amount=str(s.amount),
                currency=s.currency,
                amount_eur=eur,
                implied=s.implied,
                revision=s.revision,
                transaction=s.transaction.idempotency_key,
            )
        )
    return ContributionOut(
        reference=c.reference,
        donor=c.donor_id,
        channel=c.channel,
        fund=c.fund.name,
        category=c.category_id,
        origin=c.origin or None,
        status=c.status,
        note=c.note,
        source=c.source.key if c.source else None,
        steps=steps,
    )


def _book(contributions: list[Contribution]) -> RateBook:
    return selectors.rate_book({s.currency for c in contributions for s in c.steps.all()})


@router.get("/coalitions/{slug}/contributions", response=list[ContributionOut])
def contributions(
    request: HttpRequest, slug: str, donor: str | None = None
) -> list[ContributionOut]:
    coalition = coalition_get(slug=slug)
    found = list(
        selectors.contributions_list(
            actor=actor_of(request), coalition=coalition, donor=donor.upper() if donor else None
        ).prefetch_related("steps__transaction")
    )
    book = _book(found)
    return [contribution_out(c, book) for c in found]


@router.get("/coalitions/{slug}/contributions/{path:reference}", response=ContributionOut)
def contribution(request: HttpRequest, slug: str, reference: str) -> ContributionOut:
    coalition = coalition_get(slug=slug)
    found = selectors.contribution_get(
        actor=actor_of(request), coalition=coalition, reference=reference
    )
    return contribution_out(found, _book([found]))


@router.post(
    "/coalitions/{slug}/contributions",
    response={201: ContributionOut},
    summary="Enter a contribution, its next step, or a correction of its current step",
)
def contribution_create(request: HttpRequest, slug: str, body: ContributionIn) -> Status:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    created = contribution_record(actor=actor, coalition=coalition, **body.dict())
    found = selectors.contribution_get(
        actor=actor, coalition=coalition, reference=created.reference
    )
    return Status(201, contribution_out(found, _book([found])))


@router.post(
    "/coalitions/{slug}/pledges",
    response=ImportOut,
    summary="Import a pledge file (.csv or .xlsx), all or nothing",
)
def pledges(request: HttpRequest, slug: str, file: UploadedFile = File(...)) -> ImportOut:  # noqa: B008
    coalition = coalition_get(slug=slug)
    name = file.name or "pledges.csv"
    result = pledges_import(actor=actor_of(request), coalition=coalition, data=file, name=name)
    return ImportOut(
        file=name,
        rows=result.rows,
        contributions=result.contributions,
        steps=len(result.steps),
        changed=result.changed,
    )


@router.get("/coalitions/{slug}/funds", response=list[FundOut])
@cached_read(public=False)  # what a caller sees depends on who it is: one body per user
def funds(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    # FundOut's and BalanceOut's fields, as plain dicts (lean, see coalition.api_cache).
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    today = timezone.localdate()
    balances = selectors.fund_balances(actor=actor, coalition=coalition)
    return [
        {
            "id": f.id,
            "channel": f.channel,
            "country": f.country_id,
            "name": f.name,
            "holder": selectors.fund_holder(f, today),
            "balances": [
                {
                    "category": b.category or None,
                    "origin": b.origin or None,
                    "currency": b.currency,
                    **{k: str(b.amounts[k]) for k in BALANCE_AMOUNTS},
                    "available_eur": None if b.available_eur is None else str(b.available_eur),
                }
                for b in balances
                if b.fund.id == f.id
            ],
        }
        for f in selectors.funds_list(actor=actor, coalition=coalition)
    ]


@router.get("/coalitions/{slug}/funds/{fund_id}/ledger", response=list[LedgerRowOut])
def fund_ledger(
    request: HttpRequest,
    slug: str,
    fund_id: Id,
    start: date | None = None,
    end: date | None = None,
    account: Id | None = None,
    category: str | None = None,
    origin: str | None = None,
) -> list[LedgerRowOut]:
    coalition = coalition_get(slug=slug)
    fund = selectors.fund_get(actor=actor_of(request), coalition=coalition, fund_id=fund_id)
    rows = selectors.ledger(
        fund=fund, start=start, end=end, account_id=account, category=category, origin=origin
    )[:MAX_LEDGER_ROWS]
    return [
        LedgerRowOut(
            date=p.date,
            transaction=p.transaction.idempotency_key,
            kind=p.transaction.kind,
            memo=p.transaction.memo,
            account=p.account.key,
            account_kind=p.account.kind,
            category=p.account.category or None,
            origin=p.account.origin or None,
            amount=str(from_minor(p.amount_minor, p.currency)),
            currency=p.currency,
        )
        for p in rows
    ]


@router.get(
    "/rates/{currency}",
    response=RateOut,
    auth=None,
    summary="The EUR reference rate used on a date (and a conversion)",
)
def rate(
    request: HttpRequest, currency: str, on: date | None = None, amount: str | None = None
) -> RateOut:
    day = on or timezone.localdate()
    code = currency.upper()
    rate_date, value = selectors.rate_on(code, day)
    eur = None
    if amount is not None:
        try:
            eur = str(to_eur(parse_amount(amount), value))
        except ValueError as error:
            raise HttpError(422, f"amount: {error}") from error
    return RateOut(
        currency=code,
        on=day,
        rate=f"{value.normalize():f}",
        rate_date=rate_date,
        amount=amount,
        eur=eur,
    )
