"""Reads of the procurement domain. Plan runs belong to a coalition: its member
delegations, the auditors and the admins see them; to anyone else they do not exist."""

from django.db.models import QuerySet
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import may, restrict
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_list, member_coalition_ids
from coalition.procurement.errors import PlanRunNotFound
from coalition.procurement.models import PlanRun


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
