"""Browser tests: Debian's Chromium driven by Playwright, against a live server."""

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"

# Playwright's sync API runs an event loop; Django refuses ORM calls from it unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if shutil.which(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="/usr/bin/chromium is missing: browser tests NOT run")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def login(page: object, live_server: object, username: str) -> None:
    page.goto(f"{live_server.url}/login/")  # type: ignore[attr-defined]
    page.fill("input[name=username]", username)  # type: ignore[attr-defined]
    page.fill("input[name=password]", "demo")  # type: ignore[attr-defined]
    page.click("main button[type=submit]")  # type: ignore[attr-defined]


def set_language(page: object, language: str) -> None:
    """Choose a language in the header's menu and confirm it with its button."""
    page.select_option("select[name=language]", language)  # type: ignore[attr-defined]
    page.click("[data-testid=language-change]")  # type: ignore[attr-defined]
    page.wait_for_selector(f"html[lang={language}]")  # type: ignore[attr-defined]


def charts_drawn(page: object) -> None:
    """Charts draw after the page loads (coalition/charts.js): wait for each, so that what
    a test reads (axe's findings, the tab order with the charts' toolbars) is the same on
    every run however busy the machine."""
    for block in page.locator("script[data-plotly]").all():  # type: ignore[attr-defined]
        chart = block.get_attribute("data-plotly")
        page.wait_for_selector(f"[id='{chart}'] .main-svg")  # type: ignore[attr-defined]
