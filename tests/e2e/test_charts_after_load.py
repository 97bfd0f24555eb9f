"""Issue 12, "slow first paint": plotly.js (4.8 MB) used to block every chart page in its
head. Now the page loads first; coalition/charts.js then fetches plotly from this server
(no CDN) and draws the charts, which still appear."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMES = """() => {
  const page = performance.getEntriesByType('navigation')[0];
  const plotly = performance.getEntriesByType('resource')
    .filter((r) => r.name.includes('/vendor/plotly-basic.min'));
  const drawn = performance.getEntriesByName('charts-drawn');
  return {load: page.loadEventStart, plotly: plotly.map((r) => r.startTime),
          drawn: drawn.map((m) => m.startTime)};
}"""


def test_the_page_loads_before_plotly_and_the_charts_draw_after(
    demo: object, live_server: object, page: object
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))  # type: ignore[attr-defined]
    page.goto(f"{live_server.url}/coalitions/drone-coalition/")  # type: ignore[attr-defined]
    page.wait_for_selector("#timeline .main-svg")  # type: ignore[attr-defined]
    page.wait_for_function("performance.getEntriesByName('charts-drawn').length > 0")  # type: ignore[attr-defined]
    times = page.evaluate(TIMES)  # type: ignore[attr-defined]
    [plotly] = times["plotly"]
    [drawn] = times["drawn"]
    assert 0 < times["load"] <= plotly < drawn, times
    # The chart's figure came from its JSON block: no inline script on the page.
    inline = page.evaluate(  # type: ignore[attr-defined]
        "() => [...document.scripts].filter((s) => !s.src && s.type !== 'application/json').length"
    )
    assert inline == 0
    assert sum("/vendor/plotly-basic.min" in u for u in requests) == 1
    assert all(u.startswith(live_server.url) for u in requests), requests  # type: ignore[attr-defined]
