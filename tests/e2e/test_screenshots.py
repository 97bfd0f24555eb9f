"""The README's screenshots, taken from the demo as `make run` loads it (the facts and the
illustrative purchase exercise): the finance dashboard, a plan with its chart, the
coalition page, a vote on an application, and the coalition page on a phone. Without
COALITION_SCREENSHOTS the test still checks that each page shows what its picture is
for; with it, the pictures go to that folder:

    COALITION_SCREENSHOTS=docs/img .venv/bin/python -m pytest tests/e2e -k screenshot -n 0

Each picture is the browser's window, not the whole page, so that it stays small (PNG
under 300 KB)."""

from pathlib import Path
from typing import Any

import pytest

from coalition.demo.services import exercise_load
from coalition.governance.models import Application, Coalition
from tests.e2e.conftest import login
from tests.e2e.test_purchase import SHOTS, SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "/coalitions/drone-coalition"
LAPTOP = {"width": 1280, "height": 1000}
LIMIT = 300_000  # bytes a README picture may weigh


def _window(page: Any, name: str, written: list[Path]) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    path = Path(SHOTS) / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    written.append(path)


def _signed_in(browser: Any, live_server: Any, size: dict[str, int], who: str) -> Any:
    page = browser.new_context(viewport=size, base_url=live_server.url).new_page()
    login(page, live_server, who)
    page.wait_for_selector("header.top .who")
    return page


def test_readme_screenshots(demo: Coalition, live_server: Any, browser: Any) -> None:
    run = exercise_load(demo)
    application = Application.objects.get(coalition=demo, country_id="TR")
    written: list[Path] = []

    manager = _signed_in(browser, live_server, LAPTOP, "delegate-gb")
    manager.goto(f"{SLUG}/finance/?year=2025")
    manager.wait_for_selector("#chart-years .main-svg")
    manager.wait_for_selector("#chart-channel .main-svg")
    assert manager.locator("#chart-years .bars path").count() >= 1
    # from the title down: the year's figures, the sources' figures and the first chart
    manager.evaluate(
        "window.scrollTo(0, document.querySelector('main h1')"
        ".getBoundingClientRect().top + window.scrollY - 16)"
    )
    _window(manager, "dashboard", written)

    manager.goto(f"/plans/{run.pk}/")
    chart = manager.locator(".chart", has_text="Pooled against separate")
    chart.locator(".bars path").first.wait_for()
    assert chart.locator(".bars path").count() >= 6  # value and cost, pooled and separate
    chart.scroll_into_view_if_needed()
    manager.evaluate("window.scrollBy(0, -120)")  # the plan's figures above the chart too
    _window(manager, "plan", written)
    manager.context.close()

    member = _signed_in(browser, live_server, LAPTOP, "delegate-fr")
    member.goto(f"{SLUG}/")
    member.wait_for_selector("#timeline .main-svg")
    assert member.locator("#members tr[data-country=FR]").count() == 1
    _window(member, "coalition-page", written)

    member.goto(f"{SLUG}/applications/{application.pk}/")
    member.wait_for_selector("#tally .main-svg")
    approve = member.locator("[data-testid=approve]")
    approve.wait_for()
    approve.scroll_into_view_if_needed()
    assert approve.is_visible()
    _window(member, "vote", written)
    member.context.close()

    phone = _signed_in(browser, live_server, SIZES["phone"], "delegate-fr")
    phone.goto(f"{SLUG}/")
    phone.wait_for_selector("#timeline .main-svg")
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    _window(phone, "phone", written)
    phone.context.close()

    if SHOTS:
        assert [p.name for p in written] == [
            "dashboard.png",
            "plan.png",
            "coalition-page.png",
            "vote.png",
            "phone.png",
        ]
        for path in written:
            data = path.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n", path
            assert len(data) < LIMIT, f"{path}: {len(data)} bytes"
