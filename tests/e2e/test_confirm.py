"""In the browser, one click on Reject casts nothing: a confirmation page asks first and
only its button rejects; Withdraw opens a disclosure with its own button (no script)."""

from typing import Any

import pytest

from tests.e2e.conftest import login
from tests.e2e.test_purchase import SIZES, _axe, _fits
from tests.governance.accession_helpers import pending_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reject_asks_before_it_rejects(demo: object, live_server: Any, browser: Any) -> None:
    tr = pending_of("TR")
    page = browser.new_context(viewport=SIZES["phone"]).new_page()
    login(page, live_server, "delegate-se")
    page.goto(f"{live_server.url}/coalitions/drone-coalition/applications/{tr.pk}/")
    page.fill("#vote textarea[name=comment]", "not yet")
    page.click("[data-testid=reject]")
    page.wait_for_selector("[data-testid=confirm-reject]")
    tr.refresh_from_db()
    assert tr.status == "pending" and tr.votes.count() == 0
    _fits(page)
    _axe(page)
    page.click("[data-testid=confirm-reject-button]")
    assert page.inner_text("[data-testid=status]") == "rejected"
    tr.refresh_from_db()
    assert tr.status == "rejected" and tr.votes.get().comment == "not yet"
    page.context.close()


def test_withdraw_opens_its_own_button_by_keyboard(
    demo: object, live_server: Any, page: Any
) -> None:
    tr = pending_of("TR")
    login(page, live_server, "delegate-tr")
    page.goto(f"{live_server.url}/coalitions/drone-coalition/applications/{tr.pk}/")
    assert not page.locator("[data-testid=withdraw]").is_visible()
    page.focus("[data-testid=withdraw-step] summary")
    page.keyboard.press("Enter")
    assert page.locator("[data-testid=withdraw]").is_visible()
    tr.refresh_from_db()
    assert tr.status == "pending"
    page.focus("[data-testid=withdraw]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=status]:text-is('withdrawn')")
