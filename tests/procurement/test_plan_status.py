"""The plan page while a plan solves and after: the status badge follows the run (queued,
running, done) in the reader's language through a script file (no inline script), and the
solver's bound is written like the value, not with the float's ten decimals."""

import re
from typing import Any

import pytest
from django.test import Client

from coalition.procurement.models import PlanRun, PlanStatus
from tests.procurement.purchase import FUND_MANAGER, plan_built, purchase_setup

pytestmark = pytest.mark.django_db


def _page(client: Client, run: PlanRun, language: str = "en") -> str:
    assert client.login(username=FUND_MANAGER, password="demo")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get(f"/plans/{run.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _unproven(run: PlanRun, bound: float, gap: float) -> PlanRun:
    plan: dict[str, Any] = dict(run.plan or {})
    plan |= {"status": "feasible", "bound": bound, "gap": gap}
    PlanRun.objects.filter(pk=run.pk).update(plan=plan)
    run.refresh_from_db()
    return run


def test_the_bound_is_written_like_the_value(demo: object, client: Client) -> None:
    run = plan_built(purchase_setup(demo))
    assert run.plan is not None
    value = run.plan["value"]
    run = _unproven(run, bound=value + 12.3456789012, gap=0.000123456)
    html = _page(client, run)
    shown = re.search(r'data-testid="value">([^<]*)<', html)
    bound = re.search(r'data-testid="bound">([^<]*)<', html)
    assert shown and bound
    assert shown.group(1) == f"{value:,}"  # grouped, as the value is (a whole number here)
    assert bound.group(1) == f"{round(value + 12.3456789012):,}"
    assert "12.3456789012" not in html and "gap 0.012 %" in html


def test_the_bound_in_french_is_grouped_the_french_way(demo: object, client: Client) -> None:
    run = plan_built(purchase_setup(demo))
    assert run.plan is not None
    run = _unproven(run, bound=1234567.891, gap=0.5)
    bound = re.search(r'data-testid="bound">([^<]*)<', _page(client, run, "fr"))
    assert bound and bound.group(1).replace("\u202f", " ").replace("\xa0", " ") == "1 234 568"


@pytest.mark.parametrize(
    ("language", "running"), [("en", "running"), ("fr", "en cours"), ("uk", "виконується")]
)
def test_a_solving_plan_s_badge_carries_every_status_in_the_reader_s_language(
    demo: object, client: Client, language: str, running: str
) -> None:
    run = plan_built(purchase_setup(demo))
    PlanRun.objects.filter(pk=run.pk).update(status=PlanStatus.QUEUED, plan=None)
    run.refresh_from_db()
    html = _page(client, run, language)
    badge = html[html.index('id="run-status"') :]
    badge = badge[: badge.index(">")]
    assert f'data-label-running="{running}"' in badge
    assert f'data-url="/api/v1/plans/{run.pk}"' in badge
    assert re.search(r'<script src="/static/procurement/plan_status[.\w]*js" defer></script>', html)
    assert "location.reload" not in html  # the script is a file, not inline
