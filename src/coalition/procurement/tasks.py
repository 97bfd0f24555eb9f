"""Background tasks (Django's task framework, database-backed queue)."""

from django_tasks import task

from coalition.access.system import WORKER
from coalition.procurement.services.plans import plan_run_execute


@task()
def plan_run_execute_task(run_id: int) -> None:
    plan_run_execute(actor=WORKER, run_id=run_id)
