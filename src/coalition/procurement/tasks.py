"""Background tasks (Django's task framework, database-backed queue)."""

from django_tasks import task

from coalition.access.system import WORKER
from coalition.procurement.services.plans import plan_run_execute


@task()
def plan_run_execute_task(run_id: int) -> None:
    plan_run_execute(actor=WORKER, run_id=run_id)


@task()
def delivery_batch_run_task(batch_id: int) -> None:
    from coalition.procurement.services.delivery_batches import delivery_batch_run

    delivery_batch_run(actor=WORKER, batch_id=batch_id)
