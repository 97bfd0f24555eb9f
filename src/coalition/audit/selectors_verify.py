"""What the auditor's page shows of verifications: the one waiting or running in the task
queue, and the last one done (its `audit.verified` event)."""

from dataclasses import dataclass
from datetime import datetime

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.models import AuditEvent
from coalition.audit.tasks import audit_chain_verify_task

WAITING = [TaskResultStatus.READY, TaskResultStatus.RUNNING]


@dataclass(frozen=True)
class Pending:
    running: bool
    since: datetime
    requested_by: str


@dataclass(frozen=True)
class Done:
    intact: bool
    events: int
    seq: int | None
    head: str | None
    problems: list[str]
    at: datetime
    by: str


def verification_pending() -> Pending | None:
    """The verification queued or running, if any (the queue is the database's table)."""
    row = (
        DBTaskResult.objects.filter(
            task_path=audit_chain_verify_task.module_path, status__in=WAITING
        )
        .order_by("-enqueued_at")
        .values_list("status", "enqueued_at", "started_at", "args_kwargs")
        .first()
    )
    if row is None:
        return None
    status, enqueued, started, arguments = row
    args = (arguments or {}).get("args") or [""]
    running = status == TaskResultStatus.RUNNING
    return Pending(running, (started if running and started else enqueued), str(args[0]))


def verification_last(*, actor: Actor) -> Done | None:
    require(actor, "audit.view")
    event = AuditEvent.objects.filter(action="audit.verified").order_by("-seq").first()
    if event is None:
        return None
    found = event.changes
    return Done(
        intact=bool(found.get("intact")),
        events=int(found.get("events") or 0),
        seq=found.get("seq"),
        head=found.get("head"),
        problems=list(found.get("problems") or []),
        at=event.occurred_at,
        by=event.actor,
    )
