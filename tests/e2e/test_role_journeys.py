"""Each role's main path, as a person takes it: from the home page, by clicking what the
page offers, to the page where that role's work is done; in English, French and
Ukrainian, on a laptop and on a phone. At the end of each path: the page speaks the
language chosen (the site menu and the page's own heading), nothing is wider than the
screen, and axe finds no violation."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from coalition.demo.services import exercise_load
from coalition.governance.models import Coalition
from tests.e2e.conftest import login, set_language
from tests.e2e.test_purchase import SIZES, _axe, _fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "fr", "uk"]


@dataclass(frozen=True)
class Journey:
    user: str | None  # None: a visitor who has not logged in
    clicks: tuple[str, ...]  # what the person clicks, from the home page, in order
    arrives: str  # what shows that the work can be done there
    heading: str  # the heading of the page arrived at, as the catalogue has it (English)


JOURNEYS = {
    "newcomer": Journey(
        None,
        (
            "main a[href='/coalitions/drone-coalition/']",
            "[data-testid=section-nav] a[href$='/public/']",
        ),
        "[data-testid=public-illustrative], [data-testid=summit-report]",
        "",
    ),
    "candidate": Journey(
        "delegate-tr", ("[data-testid=own-drone-coalition] a",), "[data-testid=withdraw-step]", ""
    ),
    "chair": Journey("delegate-lv", ("#all-pending li >> nth=0 >> a",), "#vote", ""),
    "member delegate": Journey("delegate-nl", ("#awaiting-vote li >> nth=0 >> a",), "#vote", ""),
    "fund manager": Journey(
        "delegate-gb",
        ("[data-testid=todo] li[data-kind=pay] >> nth=0 >> a",),
        "[data-testid=pay-form]",
        "",
    ),
    "beneficiary": Journey(
        "beneficiary-ua",
        ("[data-testid=todo] li[data-kind=inspect] >> nth=0 >> a",),
        "[data-testid=accept-form]",
        "",
    ),
    "auditor": Journey(
        "auditor", ("[data-testid=nav-audit]",), "[data-testid=events]", "Audit log"
    ),
}


def _translated(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def _walk(page: Any, home: str, journey: Journey, language: str) -> None:
    page.goto(home)
    for selector in journey.clicks:
        link = page.locator(selector).first
        link.wait_for()
        with page.expect_navigation():
            link.click()
    page.locator(journey.arrives).first.wait_for()
    assert page.get_attribute("html", "lang") == language
    site = page.locator("[data-testid=site-nav] a").first.inner_text()
    assert site == _translated(language, "Coalitions"), (page.url, site)
    if journey.heading:
        assert page.inner_text("main h1") == _translated(language, journey.heading)
    _fits(page)
    _axe(page)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", list(JOURNEYS))
def test_each_role_s_main_path_in_three_languages(
    demo: Coalition, live_server: Any, browser: Any, role: str, size: str
) -> None:
    exercise_load(demo)  # orders to pay and deliveries to inspect
    journey = JOURNEYS[role]
    page = browser.new_context(viewport=SIZES[size]).new_page()
    if journey.user:
        login(page, live_server, journey.user)
        page.wait_for_selector("header.top .who")
    else:
        page.goto(f"{live_server.url}/")
    for language in LANGUAGES:
        set_language(page, language)
        _walk(page, f"{live_server.url}/", journey, language)
    page.context.close()
