"""Keyboard only: a member delegate reaches the open accession vote from the home page and
votes; a delegation reaches the pledge import page, sends a bad file and reads each error
(tied to the file field, naming its row and column), then a good one. Tab, Shift+Tab,
Enter and Space only after the login: no click, no page.goto. Every focus stop on the way
shows a focus ring of at least 2 px (or a shadow). No sleeps: each step waits for what it
expects."""

from pathlib import Path
from typing import Any

import pytest

from coalition.finance.models import Contribution
from coalition.governance.models import Application, Coalition, Vote
from tests.e2e.conftest import charts_drawn, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = """(() => { const e = document.activeElement; const s = getComputedStyle(e);
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  return {html: e.outerHTML.slice(0, 120),
    visible: ring || s.boxShadow !== 'none'}; })()"""
LIMIT = 80  # focus stops before we give up: more than any page here has


def _tab_to(page: Any, selector: str, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus;
    every stop on the way must show where the focus is."""
    for _ in range(LIMIT):
        page.keyboard.press(key)
        stop = page.evaluate(FOCUS)
        assert stop["visible"], f"{page.url}: no visible focus on {stop}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{page.url}: {selector} not reached with {key}")


def _enter(page: Any, selector: str, then: str) -> None:
    """Tab to a link, follow it with Enter and wait for `then` on the next page."""
    _tab_to(page, selector)
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    page.wait_for_selector(then)
    charts_drawn(page)


def test_a_member_delegate_votes_with_the_keyboard_only(
    demo: Coalition, live_server: Any, page: Any
) -> None:
    application = Application.objects.get(coalition=demo, country_id="TR")
    assert not Vote.objects.filter(application=application, country_id="FR").exists()
    login(page, live_server, "delegate-fr")
    page.wait_for_selector("[data-testid=awaiting-TR] a")
    assert page.url == f"{live_server.url}/"
    charts_drawn(page)
    _enter(page, "[data-testid=awaiting-TR] a", "#vote textarea[name=comment]")
    assert page.url.endswith(f"/applications/{application.pk}/")
    _tab_to(page, "#vote textarea[name=comment]")
    page.keyboard.type("FR welcomes Türkiye")
    _tab_to(page, "[data-testid=reject]")  # one stop too far: come back with Shift+Tab
    _tab_to(page, "[data-testid=approve]", key="Shift+Tab")
    page.keyboard.press("Space")
    page.wait_for_selector("#votes tr[data-country=FR]")
    row = page.inner_text("#votes tr[data-country=FR]")
    assert "FR welcomes Türkiye" in row
    vote = Vote.objects.get(application=application, country_id="FR")
    assert (vote.vote, vote.comment) == ("approve", "FR welcomes Türkiye")
    assert vote.cast_by is not None and vote.cast_by.username == "delegate-fr"


BAD = (
    "reference,date,donor,channel,status,amount,currency\n"
    "KB-FR-1,2025-02-30,FR,common-fund,pledged,1000.00,EUR\n"
    "KB-FR-2,2025-03-01,FR,common-fund,pledged,-5,EUR\n"
    "KB-FR-3,2025-03-01,FR,teleport,pledged,1000.00,EUR\n"
)
GOOD = (
    "reference,date,donor,channel,status,amount,currency\n"
    "KB-FR-1,2025-03-01,FR,common-fund,pledged,1000.00,EUR\n"
    "KB-FR-2,2025-03-02,FR,common-fund,pledged,2500.50,EUR\n"
)


def _send(page: Any, tmp_path: Path, name: str, text: str) -> None:
    """Focus the file field, pick the file (a file dialog takes no keys), go on to the
    Import button and press Enter."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _tab_to(page, "main input[type=file]")
    page.locator(":focus").set_input_files(str(path))
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")


def test_a_delegation_imports_pledges_with_the_keyboard_only(
    demo: Coalition, live_server: Any, page: Any, tmp_path: Path
) -> None:
    before = Contribution.objects.count()
    login(page, live_server, "delegate-fr")
    page.wait_for_selector("header.top .who")
    charts_drawn(page)
    _enter(page, "main a[href='/coalitions/drone-coalition/']", "main h1")
    _enter(page, "a[href='/coalitions/drone-coalition/finance/']", "main h1")
    _enter(page, "main a[href$='/finance/import/']", "main input[type=file]")
    _send(page, tmp_path, "bad.csv", BAD)
    page.wait_for_selector("[data-testid=import-errors]")
    errors = page.locator("[data-testid=import-errors] li").all_inner_texts()
    assert errors == [
        "bad.csv row 2, column date: must be an ISO date (YYYY-MM-DD), not '2025-02-30'",
        "bad.csv row 3, column amount: must be greater than zero",
        "bad.csv row 4, column channel: must be one of common-fund, national, industry, "
        "not 'teleport'",
    ]
    field = page.locator("main input[type=file]")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described}").inner_text().count("bad.csv row") == 3
    assert Contribution.objects.count() == before  # nothing written
    _send(page, tmp_path, "good.csv", GOOD)
    page.wait_for_selector(".messages li.success")
    assert page.inner_text(".messages li.success") == (
        "good.csv: 2 steps recorded for 2 contributions."
    )
    assert page.url == f"{live_server.url}/coalitions/drone-coalition/finance/"
    assert Contribution.objects.count() == before + 2
