"""The auditor in the browser, at a laptop's and a phone's size, in English, French and
Ukrainian: opens the audit log from the navigation, filters it, gets a clear error for a
bad date, verifies the chain and reads the answer, then sees a tampered chain named;
exports the days' heads and compares the export with a rewritten chain. Each page fits
the screen and axe finds no violation. No sleeps: every step waits for what it expects."""

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from coalition.audit.models import AuditEvent
from coalition.governance.models import Coalition
from tests.audit.support import sql
from tests.e2e.conftest import login, set_language
from tests.e2e.test_purchase import SIZES, _axe, _fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "fr", "uk"]
INTACT = "The chain is intact: %(events)s events, head #%(seq)s %(head)s."
BAD_DATE = "Not a date: give it as YYYY-MM-DD."


def _words(language: str) -> tuple[str, str, str, str]:
    """The page's title, the verify button, the start of an intact chain's answer and the
    error of a bad date, as the catalogue has them (translated: never the English)."""
    with translation.override(language):
        intact = gettext(INTACT).split(":")[0].strip()
        words = (gettext("Audit log"), gettext("Verify the chain"), intact, gettext(BAD_DATE))
    if language != "en":
        assert not set(words) & {"Audit log", "Verify the chain", BAD_DATE}, language
    return words


def _checked(page: Any) -> None:
    _fits(page)
    _axe(page)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_auditor_filters_verifies_and_compares(
    demo: Coalition, live_server: Any, browser: Any, size: str
) -> None:
    page = browser.new_context(viewport=SIZES[size], accept_downloads=True).new_page()
    login(page, live_server, "auditor")
    page.wait_for_selector("header.top .who")
    action = AuditEvent.objects.get(seq=3).action
    wanted = min(AuditEvent.objects.filter(action=action).count(), 50)
    for language in LANGUAGES:
        title, button, intact, bad_date = _words(language)
        set_language(page, language)
        page.click("[data-testid=nav-audit]")
        page.wait_for_selector("[data-testid=events]")
        assert page.inner_text("main h1") == title
        _checked(page)

        page.fill("#id_action", action)
        page.click("[data-testid=filter]")
        page.wait_for_url(f"**/audit/?*action={action}*")
        actions = page.locator("table.audit-log td:nth-child(4)").all_inner_texts()
        assert actions == [action] * wanted
        _checked(page)

        page.goto(f"{live_server.url}/audit/?from=2026-13-01")
        error = page.wait_for_selector("[data-testid=error-from]")
        assert error.inner_text() == bad_date
        assert page.get_attribute("#id_from", "aria-describedby") == "from-error"
        _checked(page)

        page.get_by_role("button", name=button).click()
        page.wait_for_selector("[data-testid=verification-last].success")
        assert intact in page.inner_text("[data-testid=verification-last]")
        assert page.locator("[data-testid=days] tbody tr").count() == 1
        _checked(page)

    # The chain tampered with behind the application's back: the button names the event.
    sql("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 3")
    page.get_by_role("button", name=_words("uk")[1]).click()
    page.wait_for_selector("[data-testid=verification-last].error")
    assert "event #3" in page.inner_text("[data-testid=verification-last]")
    _checked(page)
    page.context.close()


def test_an_export_of_the_heads_shows_a_rewritten_chain(
    demo: Coalition, live_server: Any, browser: Any, tmp_path: Any
) -> None:
    page = browser.new_context(viewport=SIZES["phone"], accept_downloads=True).new_page()
    login(page, live_server, "auditor")
    page.goto(f"{live_server.url}/audit/")
    page.get_by_role("button", name="Verify the chain").click()
    page.wait_for_selector("[data-testid=verification-last].success")
    with page.expect_download() as download:
        page.click("[data-export=heads-json]")
    exported = tmp_path / "heads.json"
    download.value.save_as(exported)

    page.set_input_files("#id_file", str(exported))
    page.click("[data-testid=compare]")
    answer = page.wait_for_selector("[data-testid=comparison]")
    assert answer.inner_text().strip() == "The 1 day of the export matches the chain."
    _checked(page)

    seq = page.evaluate(
        "document.querySelector('[data-testid=days] code').textContent.split(' ')[0]"
    )
    sql("UPDATE audit_auditevent SET hash = %s WHERE seq = %s", ["f" * 64, int(seq[1:])])
    page.goto(f"{live_server.url}/audit/")
    page.set_input_files("#id_file", str(exported))
    page.click("[data-testid=compare]")
    answer = page.wait_for_selector("[data-testid=comparison]")
    assert "1 day of 1 no longer matches the chain:" in answer.inner_text()
    assert f"event {seq} has another hash now" in answer.inner_text()
    _checked(page)
    page.context.close()
