"""The page shell on a phone (390x844): every main page, as a signed-in delegate and as
an anonymous visitor where the page is public, fits the screen (no sideways scroll), the
header keeps the user's name and "Log out" inside its dark bar, and axe finds no serious
or critical violation. Wide tables show that they scroll; the chart toolbar stays off
small screens; the language menu waits for an explicit "Change"; a skip link leads to the
main content. No sleeps: every step waits for what it expects."""

from typing import Any

import pytest

from coalition.finance.models import Fund
from coalition.governance.models import Application, Coalition
from coalition.procurement.models import Order
from tests.e2e.conftest import login, set_language
from tests.e2e.test_purchase import SIZES, _fits
from tests.procurement.test_order_changes import _signed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "/coalitions/drone-coalition"
PHONE = SIZES["phone"]


def _pages(coalition: Coalition, order: Order) -> list[str]:
    fund = Fund.objects.filter(coalition=coalition).order_by("pk").first()
    assert fund is not None
    application = Application.objects.filter(coalition=coalition, country_id="TR").get()
    return [
        "/",
        f"{SLUG}/",
        "/countries/UA/",
        f"{SLUG}/finance/",
        f"{SLUG}/finance/members/LV/",
        f"{SLUG}/finance/funds/{fund.pk}/",
        f"{SLUG}/applications/{application.pk}/",
        f"{SLUG}/meetings/",
        f"{SLUG}/apply/",
        "/purchases/",
        f"{SLUG}/requirements/",
        f"{SLUG}/competitions/",
        "/plans/",
        f"/plans/{order.plan_id}/",
        f"{SLUG}/orders/",
        f"{SLUG}/orders/{order.reference}/",
        f"{SLUG}/deliveries/",
        f"{SLUG}/reconciliation/",
    ]


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _header_holds_its_items(page: Any) -> None:
    """Every item of the header lies inside the dark bar and inside the screen."""
    outside = page.evaluate(
        """(() => { const bar = document.querySelector('header.top').getBoundingClientRect();
        const items = 'header.top a, header.top button, header.top select, header.top .who';
        return [...document.querySelectorAll(items)].filter(e => { const r =
        e.getBoundingClientRect(); return r.width && (r.top < bar.top - 1 || r.bottom >
        bar.bottom + 1 || r.left < -1 || r.right > window.innerWidth + 1); })
        .map(e => e.textContent.trim()); })()"""
    )
    assert outside == [], f"{page.url}: outside the header bar: {outside}"


def _visitor(browser: Any, live_server: Any, size: dict[str, int], username: str | None) -> Any:
    page = browser.new_context(viewport=size).new_page()
    if username:
        login(page, live_server, username)
        page.wait_for_selector("header.top .who")
    return page


def test_every_main_page_fits_a_phone_and_passes_axe(
    demo: Coalition, live_server: Any, browser: Any
) -> None:
    """At 390 px as a delegate and as an anonymous visitor; at a laptop's size as the
    delegate (the header's one line there)."""
    order = _signed(demo)
    pages = _pages(demo, order)
    problems: list[str] = []
    public = 0
    for size, who in (
        (PHONE, "delegate-gb"),
        (PHONE, None),
        (SIZES["laptop"], "delegate-gb"),
    ):
        page = _visitor(browser, live_server, size, who)
        name = f"{who or 'anonymous'} at {size['width']} px"
        for path in pages:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_selector("main h1")
            if who is None and "/login/" in page.url:
                continue  # not public
            public += who is None
            for check in (_fits, _header_holds_its_items):
                try:
                    check(page)
                except AssertionError as failed:
                    problems.append(f"{name}: {failed}".splitlines()[0])
            problems += [f"{name} {path} {p}" for p in _serious(page)]
        page.context.close()
    assert problems == [], "\n".join(problems)
    assert public >= 4  # home, coalition, country, finance dashboard at least


def test_a_wide_table_shows_that_it_scrolls_and_charts_keep_their_titles(
    demo: Coalition, live_server: Any, browser: Any
) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, live_server, "delegate-gb")
    page.goto(f"{live_server.url}{SLUG}/requirements/")
    box = page.wait_for_selector(".scroll")
    assert page.evaluate("e => e.scrollWidth > e.clientWidth", box)  # it does overflow
    # the overflowing edge is shaded: scrolling shadows drawn by the wrapper's background
    shading = page.evaluate("e => getComputedStyle(e).backgroundImage", box)
    assert shading.count("gradient") >= 2, shading
    assert "local" in page.evaluate("e => getComputedStyle(e).backgroundAttachment", box)
    page.goto(f"{live_server.url}{SLUG}/")
    page.wait_for_selector("#timeline .main-svg")
    page.hover("#timeline")
    assert not page.locator("#timeline .modebar").is_visible()
    page.context.close()


def test_the_language_menu_waits_for_an_explicit_change(
    demo: Coalition, live_server: Any, page: Any
) -> None:
    page.goto(f"{live_server.url}{SLUG}/")
    page.wait_for_selector("html[lang=en]")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.focus("select[name=language]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("html[lang=en]").count() == 1
    assert page.evaluate("document.querySelector('select[name=language]').value") != "en"
    assert navigations == []
    page.click("[data-testid=language-change]")
    page.wait_for_selector("html:not([lang=en])")
    assert navigations != []
    assert page.url.endswith(f"{SLUG}/")


def test_the_skip_link_leads_to_the_main_content(
    demo: Coalition, live_server: Any, page: Any
) -> None:
    page.goto(f"{live_server.url}{SLUG}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.locator("a.skip").is_visible()  # shown once it has the focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_set_language_helper_switches(demo: Coalition, live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/")
    set_language(page, "uk")
    assert page.locator("html[lang=uk]").count() == 1
