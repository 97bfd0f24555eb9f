"""Thin REST router for optimiser runs."""

import time

from django.http import HttpRequest
from ninja import Router, Status

from coalition.procurement import selectors, services
from coalition.procurement.errors import PlanningNotAllowed
from coalition.procurement.models import PlanRun, PlanStatus
from coalition.procurement.schemas import PlanRequest, PlanRunOut, PlanRunSummary

router = Router(tags=["plans"])


def _url(run: PlanRun) -> str:
    return f"/api/v1/plans/{run.pk}"


def _out(run: PlanRun) -> PlanRunOut:
    return PlanRunOut(
        id=run.pk,
        url=_url(run),
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
    )


@router.post(
    "/plans",
    response={200: PlanRunOut, 202: PlanRunOut},
    summary="Solve a scenario",
    description="Queues the solve and waits up to `wait` seconds: 200 with the plan when it "
    "is done by then, else 202 with the run's status URL to poll.",
)
def plan_create(request: HttpRequest, body: PlanRequest) -> Status:
    if not selectors.may_plan(request.user):
        raise PlanningNotAllowed("only delegations, the beneficiary and admins run plans")
    run = services.plan_run_submit(
        actor=request.user,  # type: ignore[arg-type]
        scenario=body.scenario,
        time_limit=body.time_limit,
        compare_separate=body.compare_separate,
        name=body.name,
    )
    deadline = time.monotonic() + body.wait
    while run.status in {PlanStatus.QUEUED, PlanStatus.RUNNING} and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    pending = run.status in {PlanStatus.QUEUED, PlanStatus.RUNNING}
    return Status(202 if pending else 200, _out(run))


@router.get("/plans", response=list[PlanRunSummary], summary="Recent plan runs")
def plan_list(request: HttpRequest) -> list[PlanRunSummary]:
    return [
        PlanRunSummary(
            id=r.pk,
            url=_url(r),
            name=r.name,
            status=r.status,
            created_at=r.created_at,
            finished_at=r.finished_at,
        )
        for r in selectors.plan_run_list()
    ]


@router.get("/plans/{run_id}", response=PlanRunOut, summary="A plan run: status, then the plan")
def plan_detail(request: HttpRequest, run_id: int) -> PlanRunOut:
    return _out(selectors.plan_run_get(run_id=run_id))
