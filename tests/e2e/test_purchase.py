"""A purchase in the browser, as the people who own each step would do it: the
beneficiary adds a requirement; the fund manager opens a competition, enters an offer and
uploads another, closes it, builds a plan, reads what went in, approves it and finds the
signed order. At a laptop's and a phone's size; the pages in English, French and
Ukrainian; axe finds no accessibility violation. No sleeps: every step waits for what it
expects to see."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from tests.e2e.conftest import login, set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "/coalitions/drone-coalition"
SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SHOTS = os.environ.get("COALITION_SCREENSHOTS")  # a folder: each page's screenshot goes there
OFFERS = (
    "offer,supplier,supplier_country,origin,category,min_quantity,unit_price,currency,"
    "capacity_per_30_days,lead_time_days,valid_until\n"
    "W-2,Vilnius Vision,LT,LT,tactical-recon,1,1400,EUR,40,20,\n"
)


def _money(coalition: Coalition) -> None:
    from tests.helpers import TEST

    day = timezone.localdate() - timedelta(days=3)
    pledges_import(
        actor=TEST,
        coalition=coalition,
        data=f"reference,date,donor,channel,status,amount,currency\n"
        f"E2E-NL,{day},NL,common-fund,disbursed,250000.00,EUR\n".encode(),
        name="money.csv",
    )


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _fits(page: Any) -> None:
    """Nothing wider than the screen: wide tables scroll inside their panel."""
    # Measured once the page's stylesheets are in: a layout read while one is still on its
    # way is the page without its CSS (a busy machine made this a flaky failure).
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        """[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right
        > window.innerWidth + 1).slice(0, 4).map(e => e.tagName + '.' + e.className)"""
    )
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the screen: {wide}"


def _axe(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert found == [], f"{page.url}: {found}"


def _path(browser: Any, live_server: Any, size: dict[str, int], tag: str) -> str:
    """The whole purchase at one screen size; the URL of the plan it approved."""
    today = timezone.localdate()
    reference = f"E2E-{tag}"
    beneficiary = browser.new_context(viewport=size).new_page()
    login(beneficiary, live_server, "beneficiary-ua")
    beneficiary.click("[data-testid=nav-purchases]")
    beneficiary.wait_for_selector("[data-testid=requirement-form]")
    form = beneficiary.locator("[data-testid=requirement-form]")
    form.locator("[name=reference]").fill(f"{reference}-N")
    form.locator("[name=category]").select_option("tactical-recon")
    form.locator("[name=quantity]").fill("60")
    form.locator("[name=weight]").fill("5")
    form.locator("[name=needed_by]").fill((today + timedelta(days=150)).isoformat())
    form.locator("button[type=submit]").click()
    row = beneficiary.wait_for_selector(f"tr[data-reference={reference}-N]")
    assert "0 of 60" in row.inner_text()
    _fits(beneficiary)
    _shot(beneficiary, f"{tag}-requirements")
    beneficiary.context.close()

    manager = browser.new_context(viewport=size).new_page()
    login(manager, live_server, "delegate-gb")
    manager.wait_for_selector("[data-testid=nav-purchases]")
    manager.goto(f"{live_server.url}{SLUG}/competitions/")
    form = manager.locator("[data-testid=competition-form]")
    form.locator("[name=reference]").fill(f"{reference}-C")
    form.locator("[name=category]").select_option("tactical-recon")
    form.locator("[name=budget]").fill("200000")
    form.locator("[name=bid_deadline]").fill((today + timedelta(days=10)).isoformat())
    form.locator("[name=trial_quantity]").fill("100")
    form.locator("button[type=submit]").click()
    manager.wait_for_selector("[data-testid=offer-form]")
    assert "€\xa0200,000.00" in manager.inner_text("[data-testid=budget]")
    assert "(10 days left)" in manager.inner_text("[data-testid=deadline]")

    form = manager.locator("[data-testid=offer-form]")
    for name, value in {
        "offer": "W-1",
        "supplier": "Kharkiv Optics",
        "capacity_per_30_days": "30",
        "lead_time_days": "10",
        "min_quantity_1": "1",
        "unit_price_1": "1500",
        "min_quantity_2": "40",
        "unit_price_2": "1250",
    }.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("[name=supplier_country]").select_option("UA")
    form.locator("[name=origin]").select_option("UA")
    form.locator("button[type=submit]").click()
    manager.wait_for_selector("tr[data-offer=W-1]")
    upload = manager.locator("[data-testid=offers-upload]")
    upload.locator("[name=file]").set_input_files(
        {"name": "offers.csv", "mimeType": "text/csv", "buffer": OFFERS.encode()}
    )
    upload.locator("button[type=submit]").click()
    offer = manager.wait_for_selector("tr[data-offer=W-2]")
    assert "Vilnius Vision" in offer.inner_text() and "Lithuania" in offer.inner_text()
    _fits(manager)
    _shot(manager, f"{tag}-competition")
    manager.click("[data-testid=move-close]")
    manager.wait_for_selector("[data-testid=competition-status]:has-text('closed')")

    manager.goto(f"{live_server.url}{SLUG}/competitions/")
    manager.click("[data-testid=build-plan]")
    manager.check(f"input[name=competitions][value={reference}-C]")
    manager.click("[data-testid=build-form] button[type=submit]")
    summary = manager.wait_for_selector("[data-testid=plan-summary]")
    assert "60 units delivered on time" in summary.inner_text()
    inputs = manager.inner_text("[data-testid=plan-inputs]")
    assert f"{reference}-N" in inputs and "Kharkiv Optics" in inputs and "Common fund" in inputs
    assert "€\xa0250,000.00" in manager.inner_text("[data-testid=funds-total]")
    _fits(manager)
    _shot(manager, f"{tag}-plan")
    plan_url = manager.url
    manager.click("[data-testid=approve]")
    manager.wait_for_url("**/orders/")
    order = manager.locator("tr[data-order]", has_text="Kharkiv Optics").first
    assert "60" in order.inner_text() and "signed" in order.inner_text()
    order.locator("a").click()
    manager.wait_for_selector("[data-testid=amend-form]")
    assert "Kharkiv Optics" in manager.inner_text("[data-testid=order-facts]")
    _fits(manager)
    _shot(manager, f"{tag}-order")
    manager.context.close()
    return plan_url


@pytest.mark.parametrize("size", list(SIZES))
def test_from_a_new_requirement_to_signed_orders(
    demo: Coalition, live_server: Any, browser: Any, size: str
) -> None:
    _money(demo)
    _path(browser, live_server, SIZES[size], size)


WORDS = {
    "en": ("Requirements", "Tactical reconnaissance"),
    "fr": ("Besoins", "Reconnaissance tactique"),
    "uk": ("Потреби", "Тактична розвідка"),
}


def test_the_purchase_pages_in_three_languages_pass_axe(
    demo: Coalition, live_server: Any, browser: Any
) -> None:
    _money(demo)
    plan = _path(browser, live_server, SIZES["laptop"], "axe")
    page = browser.new_context(viewport=SIZES["phone"]).new_page()
    login(page, live_server, "delegate-gb")
    page.wait_for_selector("[data-testid=nav-purchases]")
    for language, (title, category) in WORDS.items():
        page.goto(f"{live_server.url}{SLUG}/requirements/")
        set_language(page, language)
        page.wait_for_selector(f"html[lang={language}]")
        assert title in page.inner_text("h1") and category in page.inner_text("main")
        for url in (
            f"{SLUG}/requirements/",
            f"{SLUG}/competitions/",
            f"{SLUG}/competitions/E2E-axe-C/",
            plan,
            f"{SLUG}/orders/",
        ):
            page.goto(url if url.startswith("http") else f"{live_server.url}{url}")
            page.wait_for_selector("main h1")
            assert page.locator(f"html[lang={language}]").count() == 1
            _fits(page)
            _axe(page)
            if language != "en":
                _shot(page, f"{language}-{url.rstrip('/').rsplit('/', 1)[-1]}")
    page.context.close()
