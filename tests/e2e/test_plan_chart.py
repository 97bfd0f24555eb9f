"""Issue 12: the pooled-against-separate chart of the plan page hid its own figure (cost
bars covered value bars, the cost axis was clipped, amounts unformatted). In a real
browser: value and cost bars stand apart, the cost axis reads in money inside its panel,
at a laptop's and a phone's size."""

from typing import Any

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_comparison_chart_shows_value_and_cost_apart(
    demo: Any, live_server: Any, browser: Any, size: str
) -> None:
    page = browser.new_context(viewport=SIZES[size]).new_page()
    login(page, live_server, "delegate-gb")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server.url}/plans/")
    page.click("form:has(textarea[name=scenario]) button[type=submit]")
    page.wait_for_selector("#plan-figures")
    chart = page.locator(".chart", has_text="Pooled against separate")
    chart.locator(".bars path").first.wait_for()
    boxes = [p.bounding_box() for p in chart.locator(".bars path").all()]
    boxes = [b for b in boxes if b and b["width"] > 0]
    assert len(boxes) == 6  # value and cost of: pooled, each fund alone, spreadsheet
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a["x"] + a["width"] <= b["x"] + 0.5 or b["x"] + b["width"] <= a["x"] + 0.5
            assert apart, f"bars overlap: {a} {b}"
    panel = chart.bounding_box()
    ticks = chart.locator(".y2tick text")
    assert ticks.count() >= 2
    for tick in ticks.all():
        assert (tick.text_content() or "").startswith("€")
        box = tick.bounding_box()
        assert (
            box
            and panel["x"] <= box["x"]
            and box["x"] + box["width"] <= panel["x"] + panel["width"]
        )
    texts = " ".join(chart.locator(".bartext").all_text_contents())
    assert "€\xa02,497,500.00" in texts or "€ 2,497,500.00" in texts, texts
    page.context.close()
