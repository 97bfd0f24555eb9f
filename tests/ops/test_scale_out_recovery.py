"""Tasks left running by a worker that died (issue 13): queued again while attempts
remain, then failed with the reason; the plan run or delivery batch of each follows; a
live worker's task is left alone; a late attempt writes nothing."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from coalition.access.system import WORKER
from coalition.audit.models import AuditEvent
from coalition.cli import main
from coalition.errors import Forbidden
from coalition.governance.models import Coalition
from coalition.optimizer import spec
from coalition.procurement.models import BatchStatus, DeliveryBatch, PlanRun, PlanStatus
from coalition.procurement.services.delivery_batches import delivery_batch_lost
from coalition.procurement.services.plans import _plan_run_finish, plan_run_lost
from coalition.workers.models import WorkerBeat
from coalition.workers.services import tasks_recover
from tests.governance.accession_helpers import small_coalition
from tests.helpers import user_actor

pytestmark = pytest.mark.django_db

PLAN_TASK = "coalition.procurement.tasks.plan_run_execute_task"
BATCH_TASK = "coalition.procurement.tasks.delivery_batch_run_task"
REQUEUED = "the worker running this task stopped (attempt 1 of 3); queued again"
GIVEN_UP = "the worker running this task stopped 3 times before it finished; given up"


def _task(path: str, arg: int, workers: list[str], started_ago: float = 600) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [arg], "kwargs": {}},
        task_path=path,
        worker_ids=workers,
        backend_name="default",
        run_after=get_date_max(),
        started_at=timezone.now() - timedelta(seconds=started_ago),
        exception_class_path="",
        traceback="",
    )


def _beat(worker_id: str, ago: float) -> None:
    at = timezone.now() - timedelta(seconds=ago)
    WorkerBeat.objects.create(worker_id=worker_id, host="h", pid=1, started_at=at, beat_at=at)


def _run(status: str = PlanStatus.RUNNING, **fields: Any) -> PlanRun:
    return PlanRun.objects.create(
        scenario=json.loads(spec.path(spec.EXAMPLE_SCENARIO).read_text()),
        time_limit=30,
        status=status,
        started_at=timezone.now() - timedelta(minutes=10),
        **fields,
    )


def _events() -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(e.action, e.object_type, e.object_id, e.changes) for e in AuditEvent.objects.all()]


def test_a_dead_workers_plan_is_queued_again_and_a_live_ones_left() -> None:
    dead, alive = _run(), _run()
    lost = _task(PLAN_TASK, dead.pk, ["dead"])
    kept = _task(PLAN_TASK, alive.pk, ["alive"])
    young = _task(PLAN_TASK, alive.pk, ["never-beat"], started_ago=5)  # just claimed
    _beat("dead", ago=120)
    _beat("alive", ago=5)
    before = AuditEvent.objects.count()
    found = tasks_recover(actor=WORKER, lease=60, attempts=3)
    assert [(r.task_id, r.attempts, r.retried) for r in found] == [(str(lost.pk), 1, True)]
    for row in (lost, kept, young):
        row.refresh_from_db()
    assert (lost.status, kept.status, young.status) == ("READY", "RUNNING", "RUNNING")
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.started_at, dead.progress) == ("queued", None, {})
    assert alive.status == "running"
    assert _events()[before:] == [("plan.requeued", "plan_run", str(dead.pk), {"reason": REQUEUED})]
    assert tasks_recover(actor=WORKER, lease=60, attempts=3) == []
    assert AuditEvent.objects.count() == before + 1


def test_after_the_last_attempt_the_task_and_its_run_fail_with_the_reason() -> None:
    run = _run()
    task = _task(PLAN_TASK, run.pk, ["w1", "w2", "w3"])  # three claims, no beat at all
    found = tasks_recover(actor=WORKER, lease=60, attempts=3)
    assert [(r.attempts, r.retried) for r in found] == [(3, False)]
    task.refresh_from_db()
    run.refresh_from_db()
    assert (task.status, task.exception_class_path, task.traceback) == (
        "FAILED",
        "coalition.workers.WorkerLost",
        GIVEN_UP,
    )
    assert task.finished_at is not None
    assert (run.status, run.error) == ("failed", GIVEN_UP)
    assert _events()[-1] == ("plan.abandoned", "plan_run", str(run.pk), {"reason": GIVEN_UP})


def test_a_dead_workers_delivery_batch_is_queued_again_then_failed() -> None:
    coalition = small_coalition(members=["AT", "BG"])
    batch = DeliveryBatch.objects.create(
        coalition=coalition,
        name="big.csv",
        digest="0" * 64,
        status=BatchStatus.RUNNING,
        processed=700,
        content=b"serial,order,delivered_on\n",
    )
    task = _task(BATCH_TASK, batch.pk, ["dead"])
    tasks_recover(actor=WORKER, lease=60, attempts=2)
    batch.refresh_from_db()
    task.refresh_from_db()
    assert (task.status, batch.status, batch.processed) == ("READY", "queued", 0)
    assert bytes(batch.content) == b"serial,order,delivered_on\n"
    reason = "the worker running this task stopped (attempt 1 of 2); queued again"
    assert _events()[-1] == (
        "deliveries.requeued",
        "delivery_batch",
        str(batch.pk),
        {"reason": reason},
    )
    # claimed again by a second worker, which dies too: the last attempt is spent
    DeliveryBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING", worker_ids=["dead", "dead2"])
    tasks_recover(actor=WORKER, lease=60, attempts=2)
    batch.refresh_from_db()
    task.refresh_from_db()
    reason = "the worker running this task stopped 2 times before it finished; given up"
    assert (task.status, batch.status, batch.content) == ("FAILED", "failed", None)
    assert batch.errors == [{"file": "big.csv", "row": None, "column": None, "message": reason}]
    assert _events()[-1][0] == "deliveries.abandoned"


def test_a_task_whose_run_had_finished_is_queued_again_and_the_run_left_done() -> None:
    run = _run(PlanStatus.DONE, plan={"value": 1})
    task = _task(PLAN_TASK, run.pk, ["dead"])
    tasks_recover(actor=WORKER, lease=60, attempts=3)
    run.refresh_from_db()
    task.refresh_from_db()
    assert (task.status, run.status, run.plan) == ("READY", "done", {"value": 1})
    action, kind, object_id, changes = _events()[-1]
    assert (action, kind, object_id) == ("task.requeued", "task", str(task.pk))
    assert changes == {"task": PLAN_TASK, "worker": "dead", "attempts": 1}


def test_a_late_attempt_does_not_write_its_result() -> None:
    run = _run()
    before = AuditEvent.objects.count()
    stale = run.started_at - timedelta(minutes=5)  # type: ignore[operator]
    finished = _plan_run_finish(
        actor=WORKER, run_id=run.pk, plan=None, baseline=None, error="x", started=stale
    )
    assert finished is None
    run.refresh_from_db()
    assert (run.status, run.error, AuditEvent.objects.count()) == ("running", "", before)


def test_only_the_worker_recovers_tasks_runs_and_batches(demo: Coalition) -> None:
    admin, auditor = user_actor("admin"), user_actor("auditor")
    with pytest.raises(Forbidden, match="only the task worker recovers the tasks of dead workers"):
        tasks_recover(actor=admin)
    run = _run()
    with pytest.raises(Forbidden, match="only the task worker runs queued plans"):
        plan_run_lost(actor=admin, run_id=run.pk, retry=True, reason="r")
    batch = DeliveryBatch.objects.create(
        coalition=demo, name="m.csv", digest="0" * 64, status=BatchStatus.RUNNING
    )
    with pytest.raises(Forbidden):
        delivery_batch_lost(actor=auditor, batch_id=batch.pk, retry=True, reason="r")
    run.refresh_from_db()
    batch.refresh_from_db()
    assert (run.status, batch.status) == ("running", "running")


@pytest.mark.django_db(transaction=True)  # the worker runs in autocommit, as in production
def test_a_starting_worker_solves_the_plan_a_dead_worker_left_once() -> None:
    run = _run()
    task = _task(PLAN_TASK, run.pk, ["dead"])
    assert main(["worker", "--once", "--interval", "0"]) == 0
    run.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[0] == "dead" and len(task.worker_ids) == 2
    assert run.status == "done"
    assert (run.plan["value"], run.plan["cost"]) == (4350, "2497500.00")  # type: ignore[index]
    actions = [
        e.action for e in AuditEvent.objects.filter(object_type="plan_run", object_id=str(run.pk))
    ]
    assert actions == ["plan.requeued", "plan.started", "plan.finished"]
    assert not WorkerBeat.objects.exists()  # the worker left
