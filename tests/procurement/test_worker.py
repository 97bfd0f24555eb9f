"""The task worker's periodic jobs: runs whose worker died are not left `running` for
ever (attack report, defect 11), and expired accession votes are closed by the worker,
never by a reader (issue 9)."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from coalition.access.system import WORKER
from coalition.audit.models import AuditEvent
from coalition.cli import main
from coalition.governance.models import Coalition
from coalition.procurement.models import PlanRun, PlanStatus
from coalition.procurement.services.plans import plan_runs_recover
from tests.governance.accession_helpers import apply, refreshed, small_coalition

pytestmark = pytest.mark.django_db


def _running(coalition: Coalition, started_minutes_ago: float, limit: float = 30) -> PlanRun:
    return PlanRun.objects.create(
        coalition=coalition,
        scenario={},
        time_limit=limit,
        status=PlanStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
    )


def test_a_run_whose_worker_died_is_marked_failed_and_a_live_one_is_left(demo: Coalition) -> None:
    dead = _running(demo, started_minutes_ago=60)
    alive = _running(demo, started_minutes_ago=1)
    events = AuditEvent.objects.count()
    assert [r.pk for r in plan_runs_recover(actor=WORKER)] == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, alive.status) == ("failed", "running")
    assert dead.error == "the worker running this plan stopped before it finished; submit it again"
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.last().action == "plan.abandoned"  # type: ignore[union-attr]
    assert plan_runs_recover(actor=WORKER) == []


@pytest.mark.django_db(transaction=True)  # the worker runs in autocommit, as in production
def test_one_pass_of_the_worker_runs_the_periodic_jobs(demo: Coalition) -> None:
    dead = _running(demo, started_minutes_ago=60)
    coalition = small_coalition(members=["AT", "BG"])
    expired = apply(coalition, "IE", deadline=dt.date(2025, 1, 31))
    assert main(["worker", "--once", "--interval", "0"]) == 0
    dead.refresh_from_db()
    assert dead.status == "failed"
    assert (refreshed(expired).status, refreshed(expired).decided) == (
        "rejected",
        dt.date(2025, 1, 31),
    )
