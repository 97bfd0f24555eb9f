"""axe-core on every main page, with the people who use it: each role's home page, the
coalition and its members on a past day, the accession pages, the finance pages, the
purchase from plans to reconciliation, the audit log, the public page, the login page and
the 404 page. English at a laptop's and a phone's size, French at a laptop's, Ukrainian at
a phone's: zero serious or critical violations. One browser, the pages in sequence; each
page must answer as itself (no redirect to the login page, the status expected)."""

from typing import Any

import pytest

from coalition.finance.models import Fund
from coalition.governance.models import Application, Coalition
from tests.e2e.conftest import charts_drawn, login
from tests.e2e.test_purchase import SIZES
from tests.e2e.test_shell import _serious
from tests.procurement.test_order_changes import _signed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "/coalitions/drone-coalition"
ROLES = [
    None,  # anonymous
    "delegate-lv",  # the chair
    "delegate-gb",  # the fund manager
    "delegate-fr",  # a member
    "delegate-tr",  # a candidate
    "beneficiary-ua",
    "auditor",
]


def _visits(coalition: Coalition) -> list[tuple[str | None, str, int]]:
    """(who, path, status): the home page per role, then each main page as one who uses it."""
    order = _signed(coalition)
    fund = Fund.objects.filter(coalition=coalition).order_by("pk").first()
    assert fund is not None
    application = Application.objects.get(coalition=coalition, country_id="TR")
    visits: list[tuple[str | None, str, int]] = [(who, "/", 200) for who in ROLES]
    visits += [
        ("delegate-fr", f"{SLUG}/", 200),
        ("delegate-fr", f"{SLUG}/?on=2024-06-01", 200),  # the members on a past day
        ("delegate-fr", "/countries/UA/", 200),
        ("delegate-fr", f"{SLUG}/applications/{application.pk}/", 200),  # with its vote form
        ("delegate-lv", f"{SLUG}/meetings/", 200),
        ("delegate-tr", f"{SLUG}/applications/{application.pk}/", 200),  # the candidate's view
        ("delegate-gb", f"{SLUG}/finance/", 200),
        ("delegate-gb", f"{SLUG}/finance/funds/{fund.pk}/", 200),
        ("delegate-gb", f"{SLUG}/finance/members/LV/", 200),
        ("delegate-gb", f"{SLUG}/finance/import/", 200),
        ("delegate-gb", f"{SLUG}/finance/contributions/new/", 200),
        ("delegate-gb", "/plans/", 200),
        ("delegate-gb", f"/plans/{order.plan_id}/", 200),
        ("delegate-gb", f"{SLUG}/requirements/", 200),
        ("delegate-gb", f"{SLUG}/competitions/", 200),
        ("delegate-gb", f"{SLUG}/orders/", 200),
        ("delegate-gb", f"{SLUG}/orders/{order.reference}/", 200),
        ("beneficiary-ua", f"{SLUG}/deliveries/", 200),
        ("delegate-gb", f"{SLUG}/reconciliation/", 200),
        ("auditor", "/audit/", 200),
        (None, f"{SLUG}/public/", 200),
        (None, "/login/", 200),
        (None, f"{SLUG}/no-such-page/", 404),
        (None, "/coalitions/no-such-coalition/", 404),
    ]
    return visits


COMBINATIONS = [("en", "laptop"), ("en", "phone"), ("fr", "laptop"), ("uk", "phone")]


@pytest.mark.parametrize(("language", "size"), COMBINATIONS)
def test_every_main_page_has_no_serious_axe_violation(
    demo: Coalition, live_server: Any, browser: Any, language: str, size: str
) -> None:
    visits = _visits(demo)
    problems: list[str] = []
    pages: dict[str | None, Any] = {}
    for who, path, status in visits:
        if who not in pages:
            context = browser.new_context(viewport=SIZES[size], base_url=live_server.url)
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            pages[who] = context.new_page()
            if who:
                login(pages[who], live_server, who)
                pages[who].wait_for_selector("header.top .who")
        page = pages[who]
        response = page.goto(path)
        page.wait_for_selector("main h1")
        charts_drawn(page)
        where = f"{who or 'anonymous'} {path} ({language}, {size})"
        assert response.status == status, f"{where}: {response.status}"
        assert page.url == f"{live_server.url}{path}", f"{where}: went to {page.url}"
        assert page.locator(f"html[lang={language}]").count() == 1, where
        problems += [f"{where}: {p}" for p in _serious(page)]
    for page in pages.values():
        page.context.close()
    assert problems == [], "\n".join(problems)
    assert len(visits) == len(ROLES) + 24
