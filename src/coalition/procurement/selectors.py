"""Reads of the procurement domain. Plan runs belong to a coalition: its member
delegations, the auditors and the admins see them; to anyone else they do not exist.
Requirements, competitions, offers (with the members' reviews) and orders are read by the
same people (the policy's procurement.view); suppliers never see reviews."""

from django.db.models import Count, QuerySet
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import may, require, restrict
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_list, member_coalition_ids
from coalition.procurement.errors import CompetitionNotFound, OrderNotFound, PlanRunNotFound
from coalition.procurement.models import (
    Competition,
    Offer,
    Order,
    PlanRun,
    Requirement,
    Supplier,
    TrialOutcome,
    TrialResult,
)


def plan_run_get(*, actor: Actor, run_id: int) -> PlanRun:
    try:
        return restrict(actor, "plan.view", PlanRun.objects.select_related("coalition")).get(
            id=run_id
        )
    except PlanRun.DoesNotExist:
        raise PlanRunNotFound(f"no plan run {run_id}") from None


def plan_run_list(*, actor: Actor, limit: int = 50) -> QuerySet[PlanRun]:
    runs = PlanRun.objects.defer("scenario", "plan", "baseline").select_related(
        "created_by", "coalition"
    )
    return restrict(actor, "plan.view", runs)[:limit]


def planning_coalitions(*, actor: Actor) -> list[Coalition]:
    """The coalitions `actor` may run plans for (the choice the planning form offers)."""
    if actor.is_admin or actor.is_system:
        candidates = list(coalition_list())
    elif actor.country is not None:
        ids = member_coalition_ids(country_code=actor.country, on=timezone.localdate())
        candidates = list(coalition_list().filter(id__in=ids))
    else:
        candidates = []
    return [c for c in candidates if may(actor, "plan.run", coalition=c)]


def planning_coalition_default(*, actor: Actor) -> Coalition | None:
    """The coalition a plan is for when the request names none: the only one `actor`
    plans for; else, with a single coalition on the platform, that one (the service then
    refuses whoever may not plan for it); None when the choice is ambiguous."""
    choices = planning_coalitions(actor=actor)
    if len(choices) == 1:
        return choices[0]
    if not choices:
        only = list(coalition_list()[:2])
        return only[0] if len(only) == 1 else None
    return None


def covered_units(requirement: Requirement) -> tuple[int, int]:
    """Units of `requirement` on live orders, and delivered (not rejected) against them."""
    from coalition.procurement.selectors_reconcile import covered_by_requirement

    return covered_by_requirement({requirement.pk})[requirement.pk]


def requirements_list(*, actor: Actor, coalition: Coalition) -> list[Requirement]:
    """The coalition's requirements, each with `covered`: units on live orders (a closed
    order's: those it delivered)."""
    from coalition.procurement.selectors_reconcile import covered_by_requirement

    require(actor, "procurement.view", coalition=coalition)
    found = list(Requirement.objects.filter(coalition=coalition).select_related("category"))
    covered = covered_by_requirement({r.pk for r in found})
    for requirement in found:
        requirement.covered = covered[requirement.pk][0]  # type: ignore[attr-defined]
    return found


def competitions_list(*, actor: Actor, coalition: Coalition) -> QuerySet[Competition]:
    require(actor, "procurement.view", coalition=coalition)
    return (
        Competition.objects.filter(coalition=coalition)
        .select_related("category")
        .annotate(offer_count=Count("offers"))
    )


def competition_get(*, actor: Actor, coalition: Coalition, reference: str) -> Competition:
    require(actor, "procurement.view", coalition=coalition)
    found = (
        Competition.objects.select_related("category", "coalition")
        .filter(coalition=coalition, reference=reference)
        .first()
    )
    if found is None:
        raise CompetitionNotFound(f"no competition '{reference}' in coalition '{coalition.slug}'")
    return found


def passed_tests(*, coalition: Coalition) -> set[tuple[int, str]]:
    """(supplier id, category) whose latest test result is a pass: only these offers may
    receive more than a competition's trial quantity."""
    latest: dict[tuple[int, str], str] = {}
    rows = TrialResult.objects.filter(supplier__coalition=coalition).order_by("date", "id")
    for supplier_id, category, outcome in rows.values_list("supplier_id", "category_id", "outcome"):
        latest[(supplier_id, category)] = outcome
    return {key for key, outcome in latest.items() if outcome == TrialOutcome.PASSED}


def offers_list(*, actor: Actor, competition: Competition) -> list[Offer]:
    """The competition's offers with their tiers, supplier, reviews (members only) and
    whether the supplier has passed the testing gate for the category."""
    require(actor, "procurement.view", coalition=competition.coalition)
    passed = passed_tests(coalition=competition.coalition)
    offers = list(
        competition.offers.select_related("supplier", "origin", "supplier__country")
        .prefetch_related("tiers", "reviews__country")
        .order_by("reference")
    )
    for offer in offers:
        offer.tested = (offer.supplier_id, competition.category_id) in passed  # type: ignore[attr-defined]
    return offers


def suppliers_list(*, actor: Actor, coalition: Coalition) -> QuerySet[Supplier]:
    require(actor, "procurement.view", coalition=coalition)
    return Supplier.objects.filter(coalition=coalition).select_related("country")


def trials_list(*, actor: Actor, coalition: Coalition) -> QuerySet[TrialResult]:
    require(actor, "procurement.view", coalition=coalition)
    return TrialResult.objects.filter(supplier__coalition=coalition).select_related(
        "supplier", "category"
    )


def orders_list(*, actor: Actor, coalition: Coalition) -> QuerySet[Order]:
    require(actor, "procurement.view", coalition=coalition)
    return (
        Order.objects.filter(coalition=coalition)
        .select_related("supplier", "category", "offer", "plan")
        .prefetch_related("lines__requirement", "fundings__fund")
    )


def order_get(*, actor: Actor, coalition: Coalition, reference: str) -> Order:
    found = orders_list(actor=actor, coalition=coalition).filter(reference=reference).first()
    if found is None:
        raise OrderNotFound(f"no order '{reference}' in coalition '{coalition.slug}'")
    return found
