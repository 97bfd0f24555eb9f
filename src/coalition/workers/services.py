"""Writes of the task workers' liveness: joining, beating, leaving, and recovering the
tasks of dead workers.

Heartbeats are operational state, like a plan run's progress figures: they change every
few seconds and record no audit event (the chain would be mostly heartbeats). Every
recovery of a task is a state change of the platform and records one."""

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.workers.lost import LostHandler, handler_for
from coalition.workers.models import WorkerBeat

log = logging.getLogger(__name__)

# Beats of workers gone this long are deleted (the row only says who was alive).
FORGET_AFTER = timedelta(days=1)
LOST = "coalition.workers.WorkerLost"


def worker_join(*, worker_id: str) -> WorkerBeat:
    """The worker's first beat, before it claims any task."""
    now = timezone.now()
    beat, _ = WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "beat_at": now,
        },
    )
    return beat


def worker_beat(*, worker_id: str) -> None:
    """'Still alive'; joins again when the row was removed (a worker taken for dead)."""
    if not WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=timezone.now()):
        worker_join(worker_id=worker_id)


def worker_leave(*, worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


@dataclass(frozen=True)
class Recovered:
    task_id: str
    task_path: str
    attempts: int
    retried: bool


def tasks_recover(
    *,
    actor: Actor,
    lease: float | None = None,
    attempts: int | None = None,
    now: datetime | None = None,
) -> list[Recovered]:
    """Tasks `running` on a worker whose last beat is older than `lease` seconds (or that
    never beat, started longer ago than that) are queued again, up to `attempts` claims
    in all, then marked failed with the reason; the domain object of each follows
    (lost.py). One transaction and one audit event per task. Any worker calls this when
    it starts and then periodically."""
    require(actor, "task.recover")
    now = now or timezone.now()
    lease = settings.TASK_LEASE_SECONDS if lease is None else lease
    attempts = settings.TASK_ATTEMPTS if attempts is None else attempts
    since = now - timedelta(seconds=lease)
    alive = set(WorkerBeat.objects.filter(beat_at__gte=since).values_list("worker_id", flat=True))
    stale = [
        task_id
        for task_id, workers, started in DBTaskResult.objects.running().values_list(
            "id", "worker_ids", "started_at"
        )
        if (workers[-1] if workers else None) not in alive and (started is None or started < since)
    ]
    found = [_task_recover(actor=actor, task_id=t, since=since, attempts=attempts) for t in stale]
    WorkerBeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
    return [r for r in found if r is not None]


@transaction.atomic
def _task_recover(
    *, actor: Actor, task_id: UUID, since: datetime, attempts: int
) -> Recovered | None:
    row = DBTaskResult.objects.select_for_update(skip_locked=True).filter(id=task_id).first()
    if row is None or row.status != TaskResultStatus.RUNNING:  # finished meanwhile
        return None
    worker = row.worker_ids[-1] if row.worker_ids else ""
    # Checked again under the task's lock: the worker may have beaten since the scan.
    if WorkerBeat.objects.filter(worker_id=worker, beat_at__gte=since).exists():
        return None
    claims = len(row.worker_ids)
    retry = claims < attempts
    if retry:
        row.status = TaskResultStatus.READY
        row.save(update_fields=["status"])
        reason = (
            f"the worker running this task stopped (attempt {claims} of {attempts}); queued again"
        )
    else:
        reason = f"the worker running this task stopped {claims} times before it finished; given up"
        row.status = TaskResultStatus.FAILED
        row.finished_at = timezone.now()
        row.exception_class_path = LOST
        row.traceback = reason
        row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
    log.warning("task %s (%s): %s", row.id, row.task_path, reason)
    args = row.args_kwargs.get("args", [])
    kwargs = row.args_kwargs.get("kwargs", {})
    handler = _handler(row)
    if handler is None or not handler(
        actor=actor, args=args, kwargs=kwargs, retry=retry, reason=reason
    ):
        audit_record(
            actor=actor,
            action="task.requeued" if retry else "task.abandoned",
            object_type="task",
            object_id=row.id,
            changes={"task": row.task_path, "worker": worker, "attempts": claims},
        )
    return Recovered(str(row.id), row.task_path, claims, retry)


def _handler(row: DBTaskResult) -> LostHandler | None:
    try:
        row.task  # noqa: B018  (importing the task's module registers its handler)
    except Exception:  # a task of code no longer deployed: the task alone is recovered
        log.warning("task %s: %s cannot be imported", row.id, row.task_path)
    return handler_for(row.task_path)
