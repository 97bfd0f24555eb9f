"""Thin REST router for optimiser runs. A run is solved by the task worker: the POST
answers at once with the run's URL, never waiting in the request thread."""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from coalition.access.actor import actor_of
from coalition.governance.selectors import coalition_get
from coalition.procurement import selectors
from coalition.procurement.errors import PlanCoalitionRequired
from coalition.procurement.models import PlanRun
from coalition.procurement.schemas import PlanRequest, PlanRunOut, PlanRunSummary
from coalition.procurement.services import plans as services
from coalition.schema_types import Id

router = Router(tags=["plans"])


def run_url(run: PlanRun) -> str:
    return f"/api/v1/plans/{run.pk}"


def run_out(run: PlanRun) -> PlanRunOut:
    return PlanRunOut(
        id=run.pk,
        url=run_url(run),
        coalition=run.coalition.slug if run.coalition else None,
        name=run.name,
        status=run.status,
        progress=run.progress,
        time_limit=run.time_limit,
        compare_separate=run.compare_separate,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        error=run.error,
        plan=run.plan,
        baseline=run.baseline,
        source=run.source,
        inputs=run.inputs or None,
        approved_at=run.approved_at,
        marginal=run.marginal,
    )


@router.post(
    "/plans",
    response={202: PlanRunOut},
    summary="Queue a scenario for the optimiser",
    description="Validates the scenario whole and queues it: 202 with the run, whose `url` "
    "(also the Location header) gives its status, then its plan. `coalition`: the slug of "
    "the coalition the plan is for (default: the only one the caller's country is a "
    "member of).",
)
def plan_create(request: HttpRequest, response: HttpResponse, body: PlanRequest) -> Status:
    actor = actor_of(request)
    coalition = (
        coalition_get(slug=body.coalition)
        if body.coalition
        else selectors.planning_coalition_default(actor=actor)
    )
    if coalition is None:
        raise PlanCoalitionRequired(
            "name the coalition the plan is for: `coalition` (a slug)", field="coalition"
        )
    run = services.plan_run_submit(
        actor=actor,
        coalition=coalition,
        scenario=body.scenario,
        time_limit=body.time_limit,
        compare_separate=body.compare_separate,
        name=body.name,
    )
    response["Location"] = run_url(run)
    return Status(202, run_out(selectors.plan_run_get(actor=actor, run_id=run.pk)))


@router.get("/plans", response=list[PlanRunSummary], summary="Recent plan runs")
def plan_list(request: HttpRequest) -> list[PlanRunSummary]:
    return [
        PlanRunSummary(
            id=r.pk,
            url=run_url(r),
            coalition=r.coalition.slug if r.coalition else None,
            name=r.name,
            status=r.status,
            created_at=r.created_at,
            finished_at=r.finished_at,
        )
        for r in selectors.plan_run_list(actor=actor_of(request))
    ]


@router.get("/plans/{run_id}", response=PlanRunOut, summary="A plan run: status, then the plan")
def plan_detail(request: HttpRequest, run_id: Id) -> PlanRunOut:
    return run_out(selectors.plan_run_get(actor=actor_of(request), run_id=run_id))
