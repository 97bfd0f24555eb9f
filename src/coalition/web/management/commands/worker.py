"""`coalition worker`: runs background tasks (optimiser runs) from the database queue, and
the periodic jobs: closing accession votes whose deadline has passed, recovering plan
runs whose worker died, and once a day verifying the audit chain and recording its head.
Any number of workers, on any machine that reaches the database.

A worker does not die of a busy database: a write lock held by a long import makes it
wait and try again ("database is locked" on SQLite), not exit.
"""

import logging
import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

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


class Command(BaseCommand):
    help = "Run background tasks from the database queue, and the periodic jobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--every", type=float, default=60.0, help="seconds between periodic jobs"
        )
        parser.add_argument("--once", action="store_true", help="one pass, then exit")

    def handle(self, *args: Any, interval: float, every: float, once: bool, **options: Any) -> None:
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=True,  # run() returns when the queue is empty: the loop below goes on
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        due = 0.0
        while worker.running:
            try:
                if time.monotonic() >= due:
                    periodic_jobs()
                    due = time.monotonic() + every
                worker.run()
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                log.warning("the database is busy; the worker tries again")
                close_old_connections()
            if once:
                return
            time.sleep(interval)
