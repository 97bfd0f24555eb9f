import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_finance_dashboard_draws_its_charts_offline(
    demo: object, live_server: object, page: object
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))  # type: ignore[attr-defined]
    login(page, live_server, "auditor")
    page.goto(f"{live_server.url}/coalitions/drone-coalition/finance/?year=2025")  # type: ignore[attr-defined]
    page.wait_for_selector("#chart-years .main-svg")  # type: ignore[attr-defined]
    page.wait_for_selector("#chart-channel .main-svg")  # type: ignore[attr-defined]
    assert page.locator("#chart-years .bars path").count() >= 1  # type: ignore[attr-defined]
    assert "30,000,000.00" in page.inner_text("[data-testid=pledged]")  # type: ignore[attr-defined]
    assert "2,750,000,000" in page.inner_text("[data-testid=reported]")  # type: ignore[attr-defined]
    page.select_option("select[name=year]", "2024")  # type: ignore[attr-defined]
    assert "year=2025" in page.url  # choosing an option moves nothing (WCAG 3.2.2)
    page.click(".year-picker button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**year=2024")  # type: ignore[attr-defined]
    assert "1,800,000,000" in page.inner_text("[data-testid=reported]")  # type: ignore[attr-defined]
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.click("#table-reported a[data-export=xlsx]")  # type: ignore[attr-defined]
    assert download.value.suggested_filename.endswith(".xlsx")
    assert all(u.startswith(live_server.url) for u in requests), requests  # type: ignore[attr-defined]
