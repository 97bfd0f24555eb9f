"""Delegates vote in the browser until Türkiye is admitted under unanimity."""

import pytest

from tests.e2e.conftest import login
from tests.governance.accession_helpers import DEMO_ELECTORATE, pending_of, vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BY_CLICK = ["GB", "UA", "LV"]  # the last three electors vote in the browser


def vote_by_clicking(page: object, live_server: object, code: str) -> None:
    page.context.clear_cookies()  # type: ignore[attr-defined]
    login(page, live_server, f"delegate-{code.lower()}")
    page.click("[data-testid=awaiting-TR] a")  # type: ignore[attr-defined]
    page.fill("#vote textarea[name=comment]", f"{code} welcomes Türkiye")  # type: ignore[attr-defined]
    page.click("[data-testid=approve]")  # type: ignore[attr-defined]
    page.wait_for_selector(f"#votes tr[data-country={code}]")  # type: ignore[attr-defined]


def test_delegates_vote_by_clicking_until_turkiye_is_approved(
    demo: object, live_server: object, page: object
) -> None:
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE:
        if code not in BY_CLICK:
            vote(tr, code)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))  # type: ignore[attr-defined]
    for code in BY_CLICK:
        vote_by_clicking(page, live_server, code)
    status = page.inner_text("[data-testid=status]")  # type: ignore[attr-defined]
    assert status == "approved"
    assert "approved on" in page.inner_text("[data-testid=decision]")  # type: ignore[attr-defined]
    assert page.locator("#votes tbody tr").count() == 18  # type: ignore[attr-defined]
    assert "LV welcomes Türkiye" in page.inner_text("#votes")  # type: ignore[attr-defined]
    page.wait_for_selector("#tally .main-svg")  # type: ignore[attr-defined]
    assert page.locator("[data-testid=approve]").count() == 0  # type: ignore[attr-defined]
    # The chair (delegate-lv, still logged in) records the steering committee and links it.
    application_url = page.url  # type: ignore[attr-defined]
    page.goto(f"{live_server.url}/coalitions/drone-coalition/meetings/")  # type: ignore[attr-defined]
    page.fill("input[name=date]", "2025-06-02")  # type: ignore[attr-defined]
    page.select_option("select[name=kind]", "steering-committee")  # type: ignore[attr-defined]
    page.fill("input[name=place]", "Riga")  # type: ignore[attr-defined]
    page.click("#record-meeting button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#meetings td:has-text('Riga')")  # type: ignore[attr-defined]
    page.goto(application_url)  # type: ignore[attr-defined]
    page.select_option("select[name=meeting]", label="2 June 2025 · steering committee · Riga")  # type: ignore[attr-defined]
    page.click("#link-meeting button[type=submit]")  # type: ignore[attr-defined]
    decision = page.inner_text("[data-testid=decision]")  # type: ignore[attr-defined]
    assert decision == "approved at the steering committee of 2 June 2025"
    page.goto(f"{live_server.url}/coalitions/drone-coalition/")  # type: ignore[attr-defined]
    assert page.locator("#members tr[data-country=TR]").count() == 1  # type: ignore[attr-defined]
    assert all(u.startswith(live_server.url) for u in requests), requests  # type: ignore[attr-defined]
