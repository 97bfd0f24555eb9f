"""What one more EUR 1,000,000 would buy for each fund of a plan built from the database:
computed by the task worker right after the plan (the plan is shown meanwhile), each fund's
re-solve warm-started from the plan and proven optimal where the time allows; stored on
the run with its status, one audit event."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from coalition.access.actor import Actor
from coalition.audit.services import audit_record
from coalition.procurement.models import PlanRun

if TYPE_CHECKING:
    from coalition.optimizer.builder import Progress
    from coalition.optimizer.plan import Plan
    from coalition.optimizer.scenario import Scenario

RAISE = Decimal("1000000")


def _store(run_id: int, marginal: dict[str, Any]) -> None:
    PlanRun.objects.filter(id=run_id).update(marginal=marginal)


@transaction.atomic
def _finish(*, actor: Actor, run_id: int, marginal: dict[str, Any]) -> None:
    PlanRun.objects.select_for_update().filter(id=run_id).update(marginal=marginal)
    audit_record(
        actor=actor,
        action="plan.marginal",
        object_type="plan_run",
        object_id=run_id,
        changes={
            "status": marginal["status"],
            "funds": {m["fund"]: str(m["extra_value"]) for m in marginal.get("funds", [])},
            "error": marginal.get("error", ""),
        },
    )


def plan_run_marginals(
    *,
    actor: Actor,
    run_id: int,
    scenario: "Scenario",
    plan: "Plan",
    time_limit: float,
    progress: "Progress | None" = None,
) -> dict[str, Any]:
    """Each fund's "one more million" (optimizer.marginal), within `time_limit` seconds
    for all funds together. Called by the worker after the run is done; the run's
    `marginal` says "running" meanwhile, then "done" with a row per fund, or "failed"."""
    from coalition.optimizer.marginal import marginal_values

    _store(run_id, {"status": "running", "raise": f"{RAISE:.2f}"})
    try:
        rows = marginal_values(
            scenario, plan, raise_by=RAISE, time_limit=time_limit, progress=progress
        )
        marginal = {
            "status": "done",
            "raise": f"{RAISE:.2f}",
            "funds": [row.to_json() for row in rows],
        }
    except Exception as error:  # recorded on the run for its page; the plan stands
        marginal = {"status": "failed", "raise": f"{RAISE:.2f}", "error": str(error)}
    _finish(actor=actor, run_id=run_id, marginal=marginal)
    return marginal
