"""Issue 12 in a browser: the finance dashboard draws the ledger's totals and the sources'
reported figures as two charts (the ledger's bars visible, not flattened by billions), and
the member page's contributions table fits inside its panel at a laptop's size."""

from typing import Any

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "/coalitions/drone-coalition"


def test_the_ledger_chart_shows_its_bars_and_the_member_table_fits(
    demo: Any, live_server: Any, browser: Any
) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    login(page, live_server, "delegate-lv")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server.url}{SLUG}/finance/?year=2025")
    page.wait_for_selector("#chart-years .bars path")
    page.wait_for_selector("#chart-reported .main-svg")
    heights = [
        box["height"]
        for box in (p.bounding_box() for p in page.locator("#chart-years .bars path").all())
        if box
    ]
    assert max(heights) > 50  # the ledger's EUR 30 M bar is drawn on its own scale
    assert page.locator("#chart-years .scatterlayer .point").count() == 0
    page.goto(f"{live_server.url}{SLUG}/finance/members/LV/?year=2025")
    table = page.locator("table[data-table=contributions]")
    table.wait_for()
    panel = page.locator("#table-contributions").bounding_box()
    box = table.bounding_box()
    assert box and panel and box["x"] + box["width"] <= panel["x"] + panel["width"] + 1
    assert "Latvia" in table.inner_text()
    page.context.close()
