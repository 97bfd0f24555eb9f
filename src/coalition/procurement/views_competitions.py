"""Thin web views of competitions: the list and the form to open one, a competition with
its offers and the members' reviews, and the buttons and forms acting on it (close,
cancel, join with a programme, one offer, an offers file, a review). The services decide;
refusals are shown beside the form that was sent, or on the page gone back to."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coalition.access.actor import Actor, actor_of
from coalition.access.policy import may
from coalition.errors import DomainError
from coalition.finance import selectors as finance
from coalition.finance.models import Channel
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_get, countries_by_code
from coalition.procurement import offersfile, selectors
from coalition.procurement.forms_purchase import CompetitionForm, OfferForm, ReviewForm, UploadForm
from coalition.procurement.models import Competition, CompetitionStatus
from coalition.procurement.services import competitions as services
from coalition.procurement.services import offers as offer_services
from coalition.procurement.views_format import (
    category_name,
    country_name,
    days_left,
    money_minor,
    purchase_context,
    units,
)
from coalition.procurement.views_needs import category_choices
from coalition.web import filetemplates
from coalition.web.errors import form_error, refuse, upload_errors

# The buttons of the fund manager, by status: the moves of services.competitions.MOVES.
MOVES = {
    CompetitionStatus.DRAFT: ("open", "cancel"),
    CompetitionStatus.OPEN: ("close", "cancel"),
    CompetitionStatus.CLOSED: ("cancel",),
}


def _row(c: Competition) -> dict[str, Any]:
    return {
        "c": c,
        "category": category_name(c.category),
        "budget": money_minor(c.budget_minor, c.currency),
        "days_left": days_left(c.bid_deadline),
    }


def _list_page(
    request: HttpRequest, coalition: Coalition, form: CompetitionForm, status: int = 200
) -> HttpResponse:
    actor = actor_of(request)
    found = selectors.competitions_list(actor=actor, coalition=coalition)
    context = purchase_context(actor, coalition) | {
        "rows": [_row(c) for c in found],
        "form": form,
        "closed": any(c.status == CompetitionStatus.CLOSED for c in found),
    }
    return render(request, "procurement/competitions.html", context, status=status)


@login_required
def competitions_page(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    form = CompetitionForm(request.POST or None, categories=category_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.competition_create(
                actor=actor_of(request),
                coalition=coalition,
                **{
                    **data,
                    "budget": str(data["budget"]),
                    "trial_quantity": data["trial_quantity"] or 0,
                },
            )
        except DomainError as error:
            form_error(form, error)
            return _list_page(request, coalition, form, error.status)
        messages.success(request, _("Competition %(ref)s is open.") % {"ref": created.reference})
        return redirect("competition", slug=coalition.slug, reference=created.reference)
    return _list_page(request, coalition, form, 422 if form.errors else 200)


def _countries() -> list[tuple[str, str]]:
    return sorted(
        ((c.code, country_name(c)) for c in countries_by_code().values()), key=lambda x: x[1]
    )


def _offer_row(offer: Any, competition: Competition) -> dict[str, Any]:
    reviews = sorted(offer.reviews.all(), key=lambda r: r.country_id)
    scores = [r.score for r in reviews]
    return {
        "o": offer,
        "supplier_country": country_name(offer.supplier.country),
        "origin": country_name(offer.origin),
        "tiers": [
            (t.min_quantity, units(t.min_quantity), money_minor(t.unit_price_minor, offer.currency))
            for t in sorted(offer.tiers.all(), key=lambda t: t.min_quantity)
        ],
        "capacity": units(offer.capacity_per_30_days),
        "tested": offer.tested,
        "cap": None if offer.tested else units(competition.trial_quantity),
        "average": f"{sum(scores) / len(scores):.1f}" if scores else None,
        "reviews": [
            {"country": country_name(r.country), "score": r.score, "comment": r.comment}
            for r in reviews
        ],
    }


def _own_programmes(actor: Actor, coalition: Coalition, joined: set[int]) -> list[Any]:
    """The programmes the reader's delegation may bring into the purchase (not yet in)."""
    if actor.speaks_for is None or not may(actor, "ledger.view", coalition=coalition):
        return []
    return [
        f
        for f in finance.funds_list(actor=actor, coalition=coalition)
        if f.channel != Channel.COMMON_FUND
        and f.pk not in joined
        and may(actor, "competition.join", coalition=coalition, holder=f.country_id)
    ]


def _detail_page(
    request: HttpRequest,
    coalition: Coalition,
    reference: str,
    *,
    offer_form: OfferForm | None = None,
    review_form: ReviewForm | None = None,
    upload: UploadForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    competition = selectors.competition_get(actor=actor, coalition=coalition, reference=reference)
    offers = selectors.offers_list(actor=actor, competition=competition)
    joined = list(competition.participations.select_related("fund"))
    receiving = (
        competition.status == CompetitionStatus.OPEN and days_left(competition.bid_deadline) >= 0
    )
    context = purchase_context(actor, coalition) | {
        "competition": competition,
        "summary": _row(competition),
        "trial_quantity": units(competition.trial_quantity),
        "programmes": [p.fund.name for p in joined],
        "offers": [_offer_row(o, competition) for o in offers],
        "moves": MOVES.get(competition.status, ()),  # type: ignore[call-overload]
        "receiving": receiving,
        "join": _own_programmes(actor, coalition, {p.fund_id for p in joined})
        if competition.status in MOVES
        else [],
        "offer_form": offer_form or OfferForm(countries=_countries()),
        "review_form": review_form
        or ReviewForm(offers=[(o.reference, f"{o.reference} · {o.supplier.name}") for o in offers]),
        "upload": upload or UploadForm(),
        "errors": errors or [],
    }
    return render(request, "procurement/competition.html", context, status=status)


@login_required
def competition_page(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    if fmt := filetemplates.wanted(request):
        actor = actor_of(request)
        found = selectors.competition_get(actor=actor, coalition=coalition, reference=reference)
        return _offers_template(fmt, found.category_id)
    return _detail_page(request, coalition, reference)


def _offers_template(fmt: str, category: str) -> HttpResponse:
    """The offers file's columns and one example row (one price tier) to replace."""
    valid_until = timezone.localdate() + timedelta(days=90)
    example: list[object] = ["OFFER-1", "Example Supplier", "UA", "UA", category, 1]
    example += [Decimal("1000.00"), "EUR", 100, 30, valid_until]
    return filetemplates.template_file("offers-file", offersfile.COLUMNS, example, fmt)


def _back(coalition: Coalition, reference: str) -> HttpResponse:
    return redirect("competition", slug=coalition.slug, reference=reference)


@login_required
@require_POST
def competition_move(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    move = request.POST.get("move", "")
    try:
        moved = services.competition_move(
            actor=actor_of(request), coalition=coalition, reference=reference, move=move
        )
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(
            request,
            _("Competition %(ref)s is now %(status)s.")
            % {"ref": moved.reference, "status": moved.get_status_display()},
        )
    return _back(coalition, reference)


@login_required
@require_POST
def competition_join(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    fund = request.POST.get("fund", "")
    try:
        joined = services.competition_join(
            actor=actor_of(request),
            coalition=coalition,
            reference=reference,
            fund_id=int(fund) if fund.isdigit() else 0,
        )
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(
            request,
            _("%(fund)s takes part in %(ref)s.") % {"fund": joined.fund.name, "ref": reference},
        )
    return _back(coalition, reference)


@login_required
@require_POST
def offer_add(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    competition = selectors.competition_get(actor=actor, coalition=coalition, reference=reference)
    form = OfferForm(request.POST, countries=_countries())
    if not form.is_valid():
        return _detail_page(request, coalition, reference, offer_form=form, status=422)
    try:
        created = offer_services.offer_record(
            actor=actor,
            coalition=coalition,
            competition=reference,
            fields={
                **form.offer_fields(),
                "category": competition.category_id,
                "currency": competition.currency,
            },
            tiers=form.tiers(),  # type: ignore[arg-type]
        )
    except DomainError as error:
        form_error(form, error)
        return _detail_page(request, coalition, reference, offer_form=form, status=error.status)
    messages.success(
        request,
        _("Offer %(ref)s of %(supplier)s recorded.")
        % {"ref": created.reference, "supplier": created.supplier.name},
    )
    return _back(coalition, reference)


@login_required
@require_POST
def offers_import(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    upload = UploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _detail_page(request, coalition, reference, upload=upload, status=422)
    file = upload.cleaned_data["file"]
    try:
        result = offer_services.offers_import(
            actor=actor_of(request),
            coalition=coalition,
            competition=reference,
            data=file,
            name=file.name,
        )
    except DomainError as error:
        errors = upload_errors(error)
        return _detail_page(
            request, coalition, reference, upload=upload, errors=errors, status=error.status
        )
    messages.success(
        request,
        ngettext(
            "%(file)s: %(n)d offer recorded, %(same)d already there.",
            "%(file)s: %(n)d offers recorded, %(same)d already there.",
            len(result.created),
        )
        % {"file": file.name, "n": len(result.created), "same": result.unchanged},
    )
    return _back(coalition, reference)


@login_required
@require_POST
def review_add(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    competition = selectors.competition_get(actor=actor, coalition=coalition, reference=reference)
    offers = selectors.offers_list(actor=actor, competition=competition)
    form = ReviewForm(request.POST, offers=[(o.reference, o.reference) for o in offers])
    if not form.is_valid():
        return _detail_page(request, coalition, reference, review_form=form, status=422)
    try:
        offer_services.review_record(
            actor=actor, coalition=coalition, competition=reference, **form.cleaned_data
        )
    except DomainError as error:
        form_error(form, error)
        return _detail_page(request, coalition, reference, review_form=form, status=error.status)
    messages.success(request, _("Your delegation's review is recorded."))
    return _back(coalition, reference)
