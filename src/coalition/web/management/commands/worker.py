"""`coalition worker`: runs background tasks (optimiser runs, large imports) from the
database queue, and the periodic jobs: closing accession votes whose deadline has passed,
recovering tasks and plan runs whose worker died, and once a day verifying the audit chain
and recording its head. Any number of workers, on any machine that reaches the database.

A worker beats (coalition.workers) while it lives, from a thread, also during a long
task; when it starts, and every half lease after, it queues again the tasks of workers
that stopped beating (SIGKILL, out of memory, machine lost), or fails them after
TASK_ATTEMPTS claims: a task is never left running for ever.

A worker does not die of a busy database: a write lock held by a long import makes it
wait and try again ("database is locked" on SQLite), not exit.
"""

import logging
import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

from coalition.access.system import WORKER
from coalition.audit.services_days import audit_day_due
from coalition.governance.services.accession import applications_close_expired
from coalition.procurement.services.plans import plan_runs_recover
from coalition.workers.heartbeat import Heartbeat
from coalition.workers.services import tasks_recover, worker_join, worker_leave

log = logging.getLogger(__name__)


# The days this process verified the audit chain on: once a day each, even when the chain
# is broken (then no day's head is recorded, and the check is not repeated every minute).
_audited: set[date] = set()


def periodic_jobs() -> None:
    """What the platform does on its own, on a schedule: each job its own transactions."""
    applications_close_expired(actor=WORKER)
    plan_runs_recover(actor=WORKER)
    today = timezone.localdate()
    if today not in _audited:
        audit_day_due(actor=WORKER)
        _audited.add(today)


class _OneTaskWorker(Worker):  # type: ignore[misc]
    """django-tasks-db's worker, one task per call, so that the loop below runs the
    recovery and the periodic jobs between tasks even when the queue never empties."""

    def run_one(self) -> bool:
        self._run_tasks = 0
        self.run()
        return bool(self._run_tasks)


class Command(BaseCommand):
    help = "Run background tasks from the database queue, and the periodic jobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--every", type=float, default=60.0, help="seconds between periodic jobs"
        )
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--lease",
            type=float,
            default=None,
            help="seconds without a heartbeat after which a worker's task is taken for lost "
            "(default: COALITION_TASK_LEASE, 60)",
        )

    def handle(
        self,
        *args: Any,
        interval: float,
        every: float,
        once: bool,
        lease: float | None,
        **options: Any,
    ) -> None:
        lease = settings.TASK_LEASE_SECONDS if lease is None else lease
        worker = _OneTaskWorker(
            queue_names=["default"],
            interval=interval,
            batch=True,  # run() returns when the queue is empty: the loop below goes on
            backend_name="default",
            startup_delay=False,
            max_tasks=1,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self._until_locked_passes(lambda: worker_join(worker_id=worker.worker_id))
        heartbeat = Heartbeat(worker_id=worker.worker_id, every=max(lease / 4, 0.5))
        if not once:
            heartbeat.start()
        try:
            self._loop(worker, interval=interval, every=every, lease=lease, once=once)
        finally:
            heartbeat.stop()
            self._until_locked_passes(lambda: worker_leave(worker_id=worker.worker_id))

    def _loop(
        self, worker: _OneTaskWorker, *, interval: float, every: float, lease: float, once: bool
    ) -> None:
        due = recover_due = 0.0
        while worker.running:
            ran = False
            try:
                if time.monotonic() >= recover_due:
                    tasks_recover(actor=WORKER, lease=lease)
                    recover_due = time.monotonic() + lease / 2
                if time.monotonic() >= due:
                    periodic_jobs()
                    due = time.monotonic() + every
                ran = worker.run_one()
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                log.warning("the database is busy; the worker tries again")
                close_old_connections()
            if once:
                return
            if not ran:
                time.sleep(interval)

    @staticmethod
    def _until_locked_passes(write: Any) -> None:
        for _ in range(30):
            try:
                write()
                return
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                close_old_connections()
                time.sleep(1)
        write()
