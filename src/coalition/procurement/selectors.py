from django.db.models import QuerySet

from coalition.procurement.errors import PlanRunNotFound
from coalition.procurement.models import PlanRun


def plan_run_get(*, run_id: int) -> PlanRun:
    try:
        return PlanRun.objects.get(id=run_id)
    except PlanRun.DoesNotExist:
        raise PlanRunNotFound(f"no plan run {run_id}") from None


def plan_run_list(*, limit: int = 50) -> QuerySet[PlanRun]:
    return PlanRun.objects.defer("scenario", "plan").select_related("created_by")[:limit]


def may_plan(user: object) -> bool:
    """Delegations, the beneficiary and admins run plans; auditors only read."""
    from coalition.governance.selectors import delegate_of

    if getattr(user, "is_superuser", False):
        return True
    delegate = delegate_of(user)
    return delegate is not None and delegate.kind in {"delegate", "beneficiary"}
