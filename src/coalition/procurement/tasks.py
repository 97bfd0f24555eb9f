"""Background tasks (Django's task framework, database-backed queue), and what follows
when the worker running one died (coalition.workers)."""

from typing import Any

from django_tasks import task

from coalition.access.actor import Actor
from coalition.access.system import WORKER
from coalition.procurement.services.plans import plan_run_execute, plan_run_lost
from coalition.workers.lost import on_lost


@task()
def plan_run_execute_task(run_id: int) -> None:
    plan_run_execute(actor=WORKER, run_id=run_id)


@task()
def delivery_batch_run_task(batch_id: int) -> None:
    from coalition.procurement.services.delivery_batches import delivery_batch_run

    delivery_batch_run(actor=WORKER, batch_id=batch_id)


@on_lost(plan_run_execute_task)
def _plan_run_lost(
    *, actor: Actor, args: list[Any], kwargs: dict[str, Any], retry: bool, reason: str
) -> bool:
    return plan_run_lost(actor=actor, run_id=args[0], retry=retry, reason=reason) is not None


@on_lost(delivery_batch_run_task)
def _delivery_batch_lost(
    *, actor: Actor, args: list[Any], kwargs: dict[str, Any], retry: bool, reason: str
) -> bool:
    from coalition.procurement.services.delivery_batches import delivery_batch_lost

    found = delivery_batch_lost(actor=actor, batch_id=args[0], retry=retry, reason=reason)
    return found is not None
