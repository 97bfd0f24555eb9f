"""Writes of the procurement domain: submitting and running optimiser plans."""

import time
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance.models import Coalition
from coalition.optimizer.errors import ScenarioError
from coalition.optimizer.parse import parse_scenario
from coalition.procurement.errors import ScenarioInvalid
from coalition.procurement.models import PlanRun, PlanSource, PlanStatus
from coalition.procurement.scenario_build import scenario_build
from coalition.procurement.services.marginals import plan_run_marginals
from coalition.procurement.services.needs import requirement_statuses_update

if TYPE_CHECKING:
    from coalition.optimizer.builder import ProgressEvent

DEFAULT_TIME_LIMIT = 30.0


@transaction.atomic
def plan_run_submit(
    *,
    actor: Actor,
    coalition: Coalition,
    scenario: dict[str, Any],
    time_limit: float = DEFAULT_TIME_LIMIT,
    compare_separate: bool = True,
    name: str = "",
) -> PlanRun:
    """Validate the scenario whole, store the run and queue it for a worker; the run
    belongs to `coalition` (its member delegations see it)."""
    require(actor, "plan.run", coalition=coalition)
    try:
        parsed = parse_scenario(scenario)
    except ScenarioError as error:
        raise ScenarioInvalid(error.errors) from None
    run = PlanRun.objects.create(
        coalition=coalition,
        name=name or parsed.name or "",
        scenario=scenario,
        time_limit=time_limit,
        compare_separate=compare_separate,
        created_by_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action="plan.submitted",
        object_type="plan_run",
        object_id=run.pk,
        changes={
            "name": run.name,
            "requirements": len(parsed.requirements),
            "offers": len(parsed.offers),
            "funds": len(parsed.funds),
            "time_limit": str(time_limit),
        },
    )
    _enqueue(run)
    return run


def _enqueue(run: PlanRun) -> None:
    from coalition.procurement.tasks import plan_run_execute_task

    plan_run_execute_task.enqueue(run.pk)


@transaction.atomic
def plan_build_submit(
    *,
    actor: Actor,
    coalition: Coalition,
    competitions: list[str],
    requirements: list[str] | None = None,
    on: date | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    name: str = "",
) -> PlanRun:
    """Build the scenario of a purchase from the database (scenario_build.py) and queue
    it: the fund manager's plan, which it may then approve into orders."""
    require(actor, "plan.build", coalition=coalition)
    day = on or timezone.localdate()
    built = scenario_build(
        coalition=coalition,
        competitions=competitions,
        requirements=requirements,
        on=day,
        name=name,
    )
    try:
        parse_scenario(built.scenario)
    except ScenarioError as error:  # a database that breaks the limits of a scenario
        raise ScenarioInvalid(error.errors) from None
    run = PlanRun.objects.create(
        coalition=coalition,
        name=built.scenario["name"],
        scenario=built.scenario,
        time_limit=time_limit,
        compare_separate=True,
        source=PlanSource.DATABASE,
        inputs=built.inputs,
        built_on=day,
        created_by_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action="plan.built",
        object_type="plan_run",
        object_id=run.pk,
        changes={
            "on": day,
            "competitions": competitions,
            "requirements": sorted(built.inputs["requirements"]),
            "offers": sorted(built.inputs["offers"]),
            "funds": {k: v["amount_minor"] for k, v in sorted(built.inputs["funds"].items())},
            "left_out": built.left_out,
        },
    )
    _enqueue(run)
    return run


@transaction.atomic
def _plan_run_start(*, actor: Actor, run_id: int) -> PlanRun | None:
    """Claim a queued run (the task worker's job); None when another worker has it."""
    run = PlanRun.objects.select_for_update().get(id=run_id)
    if run.status != PlanStatus.QUEUED:
        return None
    run.status = PlanStatus.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    audit_record(
        actor=actor, action="plan.started", object_type="plan_run", object_id=run.pk, changes={}
    )
    return run


@transaction.atomic
def _plan_run_finish(
    *,
    actor: Actor,
    run_id: int,
    plan: dict[str, Any] | None,
    baseline: dict[str, Any] | None,
    error: str = "",
    started: datetime | None = None,
) -> PlanRun | None:
    """Store the result once: only the attempt that claimed the run (its `started_at`)
    finishes it; a late attempt whose run was taken for lost and queued again (or failed)
    writes nothing."""
    run = PlanRun.objects.select_for_update().get(id=run_id)
    if run.status != PlanStatus.RUNNING or (started is not None and run.started_at != started):
        return None
    run.status = PlanStatus.DONE if plan is not None else PlanStatus.FAILED
    run.plan, run.baseline, run.error = plan, baseline, error
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "plan", "baseline", "error", "finished_at"])
    if run.source == PlanSource.DATABASE and plan is not None:
        requirement_statuses_update(requirement_ids=set(run.inputs["requirements"].values()))
    summary: dict[str, Any] = {"status": run.status}
    if plan is not None:
        summary |= {
            "plan_status": plan["status"],
            "value": str(plan["value"]),
            "cost": plan["cost"],
        }
    else:
        summary["error"] = error
    audit_record(
        actor=actor,
        action="plan.finished",
        object_type="plan_run",
        object_id=run.pk,
        changes=summary,
    )
    return run


def _progress_writer(run_id: int) -> Any:
    """Store the solver's figures at most once a second, for the status page."""
    last = [0.0]

    def write(event: "ProgressEvent") -> None:
        now = time.monotonic()
        if now - last[0] < 1.0:
            return
        last[0] = now
        PlanRun.objects.filter(id=run_id).update(
            progress={
                "stage": event.stage,
                "incumbent": event.incumbent,
                "bound": event.bound,
                "gap": event.gap,
                "elapsed": round(event.elapsed, 1),
            }
        )

    return write


def plan_run_execute(*, actor: Actor, run_id: int) -> PlanRun | None:
    """Solve a queued run (the task's body). The long solve holds no transaction open.
    The solver (highspy, numpy) is imported here, by the worker, not by web processes."""
    from coalition.optimizer.baseline import baseline_plan
    from coalition.optimizer.check import check
    from coalition.optimizer.solve import solve

    require(actor, "plan.execute")
    run = _plan_run_start(actor=actor, run_id=run_id)
    if run is None:
        return None
    try:
        scenario = parse_scenario(run.scenario)
        plan = solve(
            scenario,
            time_limit=run.time_limit,
            compare_separate=run.compare_separate,
            progress=_progress_writer(run.pk),
        )
        violations = check(scenario, plan)
        if violations:  # the platform re-checks every plan; a failure here is a bug
            raise RuntimeError("the plan fails the checker: " + "; ".join(violations))
        baseline = baseline_plan(scenario)
    except Exception as error:  # the worker records any failure on the run, for its page
        return _plan_run_finish(
            actor=actor,
            run_id=run_id,
            plan=None,
            baseline=None,
            error=str(error),
            started=run.started_at,
        )
    finished = _plan_run_finish(
        actor=actor,
        run_id=run_id,
        plan=plan.to_json(),
        baseline=baseline.to_json(),
        started=run.started_at,
    )
    if finished is None:  # this attempt was taken for lost meanwhile
        return None
    if run.source == PlanSource.DATABASE:
        plan_run_marginals(
            actor=actor,
            run_id=run_id,
            scenario=scenario,
            plan=plan,
            time_limit=run.time_limit,
            progress=_progress_writer(run_id),
        )
        finished.refresh_from_db()
    return finished


ABANDON_GRACE_SECONDS = 120.0


def plan_runs_recover(*, actor: Actor, now: datetime | None = None) -> list[PlanRun]:
    """Runs left `running` by a worker that died (killed, out of memory, machine lost):
    a run that outlived its time limit by ABANDON_GRACE_SECONDS is marked failed, with a
    reason its page shows, so that nobody waits on it for ever. One transaction and one
    audit event per run. The task worker calls this periodically."""
    require(actor, "plan.execute")
    now = now or timezone.now()
    running = PlanRun.objects.filter(status=PlanStatus.RUNNING).values_list(
        "id", "started_at", "time_limit"
    )
    stale = [
        run_id
        for run_id, started, limit in running
        if started is None or now - started > timedelta(seconds=limit + ABANDON_GRACE_SECONDS)
    ]
    return [run for run in (_plan_run_abandon(actor=actor, run_id=i) for i in stale) if run]


@transaction.atomic
def _plan_run_abandon(*, actor: Actor, run_id: int) -> PlanRun | None:
    run = PlanRun.objects.select_for_update().get(id=run_id)
    if run.status != PlanStatus.RUNNING:  # finished meanwhile
        return None
    run.status = PlanStatus.FAILED
    run.error = "the worker running this plan stopped before it finished; submit it again"
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    audit_record(
        actor=actor,
        action="plan.abandoned",
        object_type="plan_run",
        object_id=run.pk,
        changes={"started_at": run.started_at, "time_limit": str(run.time_limit)},
    )
    return run


@transaction.atomic
def plan_run_lost(*, actor: Actor, run_id: int, retry: bool, reason: str) -> PlanRun | None:
    """The worker solving the run died (workers/services.py found its task): the run is
    queued again for the next attempt, or failed with the reason its page shows. None
    when the run was not running (finished, or never claimed): nothing to follow."""
    require(actor, "plan.execute")
    run = PlanRun.objects.select_for_update().filter(id=run_id).first()
    if run is None or run.status != PlanStatus.RUNNING:
        return None
    if retry:
        run.status, run.started_at, run.progress = PlanStatus.QUEUED, None, {}
        run.save(update_fields=["status", "started_at", "progress"])
    else:
        run.status, run.error, run.finished_at = PlanStatus.FAILED, reason, timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
    audit_record(
        actor=actor,
        action="plan.requeued" if retry else "plan.abandoned",
        object_type="plan_run",
        object_id=run.pk,
        changes={"reason": reason},
    )
    return run
