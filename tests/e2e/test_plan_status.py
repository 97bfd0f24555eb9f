"""In the browser, the plan page follows its run: the badge says queued, then running
(with the solver's figures the reader's way), then the page reloads on done. The run's
state is moved by the test as the worker would; the page waits for each."""

from typing import Any

import pytest

from coalition.procurement.models import PlanRun, PlanStatus
from tests.e2e.conftest import login
from tests.e2e.test_purchase import SIZES, _axe, _fits
from tests.procurement.purchase import FUND_MANAGER, plan_built, purchase_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_badge_follows_the_run(demo: Any, live_server: Any, browser: Any) -> None:
    run = plan_built(purchase_setup(demo))
    plan, baseline = run.plan, run.baseline
    PlanRun.objects.filter(pk=run.pk).update(status=PlanStatus.QUEUED, plan=None, baseline=None)
    page = browser.new_context(viewport=SIZES["phone"]).new_page()
    login(page, live_server, FUND_MANAGER)
    page.goto(f"{live_server.url}/plans/{run.pk}/")
    page.wait_for_selector("#run-status[data-status=queued]")
    _fits(page)
    _axe(page)
    progress = {"stage": "value", "incumbent": 4000.0, "bound": 4350.123456789, "gap": 0.0875}
    PlanRun.objects.filter(pk=run.pk).update(
        status=PlanStatus.RUNNING, progress=progress | {"elapsed": 1.5}
    )
    page.wait_for_selector("#run-status[data-status=running]:text-is('running')")
    page.wait_for_selector("#run-progress:has-text('bound 4,350.12')")
    line = page.inner_text("#run-progress")
    assert "maximising the value covered" in line and "4350.123456789" not in line
    assert "gap 8.75%" in line
    PlanRun.objects.filter(pk=run.pk).update(status=PlanStatus.DONE, plan=plan, baseline=baseline)
    page.wait_for_selector("#run-status[data-status=done]")
    page.wait_for_selector("#plan-figures")
    assert page.locator("#run-progress").count() == 0
    page.context.close()
