"""From a delivery manifest to a paid order in the browser, each step by the person who
owns it: the fund manager uploads the supplier's manifest; the beneficiary accepts one
lot and rejects the other for a reason; the fund manager pays for the accepted items and
finds the order reconciled. At a laptop's and a phone's size; the pages in English,
French and Ukrainian pass axe. No sleeps: every step waits for what it expects."""

from typing import Any

import pytest

from coalition.governance.models import Coalition
from coalition.procurement.models import Order
from tests.e2e.conftest import login, set_language
from tests.e2e.test_purchase import SIZES, _axe, _fits, _shot
from tests.procurement.test_order_changes import _signed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "/coalitions/drone-coalition"


def _manifest(order: Order, tag: str) -> bytes:
    day = order.signed_on.isoformat()
    rows = [f"{tag}-A{i:02d},{order.reference},{day},L1" for i in range(12)]
    rows += [f"{tag}-B{i:02d},{order.reference},{day},L2" for i in range(3)]
    return ("serial,order,delivered_on,lot\n" + "\n".join(rows) + "\n").encode()


def _path(browser: Any, live_server: Any, order: Order, size: dict[str, int], tag: str) -> None:
    today = order.signed_on.isoformat()
    order_url = f"{live_server.url}{SLUG}/orders/{order.reference}/"
    manager = browser.new_context(viewport=size).new_page()
    login(manager, live_server, "delegate-gb")
    manager.wait_for_selector("[data-testid=nav-purchases]")
    manager.goto(f"{live_server.url}{SLUG}/orders/")
    manager.click("nav >> text=Deliveries")
    upload = manager.locator("[data-testid=deliveries-upload]")
    upload.locator("[name=file]").set_input_files(
        {"name": "manifest.csv", "mimeType": "text/csv", "buffer": _manifest(order, tag)}
    )
    upload.locator("button[type=submit]").click()
    line = manager.wait_for_selector("[data-testid=batch-line]")
    assert "15" in line.inner_text()
    assert "15" in manager.inner_text("tr[data-batch]")
    _fits(manager)
    _shot(manager, f"{tag}-deliveries")

    beneficiary = browser.new_context(viewport=size).new_page()
    login(beneficiary, live_server, "beneficiary-ua")
    beneficiary.wait_for_selector("[data-testid=nav-purchases]")
    beneficiary.goto(order_url)
    assert beneficiary.inner_text("[data-testid=awaiting]").strip() == "15"
    accept = beneficiary.locator("[data-testid=accept-form]")
    accept.locator("[name=lot]").fill("L1")
    accept.locator("[name=date]").fill(today)
    accept.locator("button[type=submit]").click()
    beneficiary.wait_for_selector("[data-testid=accepted]:text-is('12')")
    beneficiary.click("[data-testid=reject-details] summary")
    reject = beneficiary.locator("[data-testid=reject-form]")
    reject.locator("[name=lot]").fill("L2")
    reject.locator("[name=reason]").select_option("damaged")
    reject.locator("[name=date]").fill(today)
    reject.locator("[name=confirm]").check()
    reject.locator("button[type=submit]").click()
    beneficiary.wait_for_selector("[data-testid=rejected]:text-is('3')")
    assert beneficiary.inner_text("[data-testid=awaiting]").strip() == "0"
    assert beneficiary.locator("[data-testid=pay-form]").count() == 0  # not the payer
    _fits(beneficiary)
    beneficiary.context.close()

    manager.goto(order_url)
    assert "14,400.00" in manager.inner_text("[data-testid=payable]")
    pay = manager.locator("[data-testid=pay-form]")
    pay.locator("[name=reference]").fill(f"PAY-{tag}")
    pay.locator("[name=amount]").fill("14400.00")
    pay.locator("[name=date]").fill(today)
    pay.locator("button[type=submit]").click()
    manager.wait_for_selector("[data-testid=paid]:has-text('14,400.00')")
    assert "0.00" in manager.inner_text("[data-testid=payable]")
    assert f"PAY-{tag}" in manager.inner_text("table[data-table=payments]")
    _fits(manager)
    _shot(manager, f"{tag}-order-paid")

    manager.click("nav >> text=Reconciliation")
    manager.wait_for_url("**/reconciliation/")
    row = manager.locator("table[data-table=orders] tbody tr", has_text=order.reference)
    row.wait_for()
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    # ordered, delivered, accepted, rejected, awaiting, outstanding, late
    assert cells[2:9] == ["350", "15", "12", "3", "0", "338", "0"]
    assert "14,400.00" in cells
    _fits(manager)
    _shot(manager, f"{tag}-reconciliation")
    manager.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_from_a_manifest_to_a_paid_order(
    demo: Coalition, live_server: Any, browser: Any, size: str
) -> None:
    order = _signed(demo)
    _path(browser, live_server, order, SIZES[size], size)
    order.refresh_from_db()
    assert (order.delivered, order.accepted, order.rejected, order.paid_minor) == (
        15,
        12,
        3,
        1_440_000,
    )


TITLES = {
    "en": ("Deliveries", "Reconciliation"),
    "fr": ("Livraisons", "Rapprochement"),
    "uk": ("Поставки", "Звірка"),
}


def test_the_delivery_pages_in_three_languages_pass_axe(
    demo: Coalition, live_server: Any, browser: Any
) -> None:
    order = _signed(demo)
    _path(browser, live_server, order, SIZES["laptop"], "axe")
    for username in ("beneficiary-ua", "delegate-gb"):
        page = browser.new_context(viewport=SIZES["phone"]).new_page()
        login(page, live_server, username)
        page.wait_for_selector("[data-testid=nav-purchases]")
        for language, (deliveries, reconciliation) in TITLES.items():
            page.goto(f"{live_server.url}{SLUG}/deliveries/")
            set_language(page, language)
            page.wait_for_selector(f"html[lang={language}]")
            assert deliveries in page.inner_text("h1")
            for url, title in (
                (f"{SLUG}/deliveries/", deliveries),
                (f"{SLUG}/orders/{order.reference}/", order.reference),
                (f"{SLUG}/reconciliation/", reconciliation),
            ):
                page.goto(f"{live_server.url}{url}")
                assert title in page.inner_text("main h1")
                _fits(page)
                _axe(page)
        page.context.close()
