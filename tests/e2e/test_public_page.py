"""The public transparency page as an anonymous visitor sees it, at a laptop's and a
phone's size, in English, French and Ukrainian: the page never scrolls sideways, each
source is a link, both downloads answer with their file, and axe finds no serious or
critical violation. No sleeps: every step waits for what it expects."""

import io
import zipfile
from typing import Any

import pytest

from coalition.governance.models import Coalition, Source
from tests.e2e.conftest import set_language
from tests.e2e.test_purchase import SIZES
from tests.e2e.test_shell import _serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/coalitions/drone-coalition/public/"
TITLES = {
    "en": "Drone Coalition: public transparency page",
    "fr": "Drone Coalition : page publique de transparence",
    "uk": "Drone Coalition: публічна сторінка прозорості",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The demo's sources carry no address (none could be checked offline), so each gets one
# here; the page must then link every source cell to it.
LINKED = ("members", "reported")


def _link_sources() -> None:
    for source in Source.objects.all():
        source.url = f"https://example.org/sources/{source.key}?a=1"
        source.save(update_fields=["url"])


def _sources_are_links(page: Any) -> int:
    """Every row of the tables that name a source links it to the source's address."""
    rows = 0
    for name in LINKED:
        table = page.locator(f"table[data-table={name}] tbody tr")
        count = table.count()
        assert count > 0, name
        for i in range(count):
            links = table.nth(i).locator("a[href^='https://example.org/sources/']")
            assert links.count() == 1, f"{name} row {i}: {table.nth(i).inner_text()}"
            key = links.first.inner_text()
            assert links.first.get_attribute("href") == f"https://example.org/sources/{key}?a=1"
        rows += count
    return rows


def _downloads(page: Any) -> None:
    csv = page.locator("[data-testid=download-csv]").get_attribute("href")
    answer = page.request.get(f"{URL}{csv}" if csv.startswith("?") else csv)
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(answer.body())).namelist()
    assert "README.txt" in names and "members.csv" in names and "reported.csv" in names
    xlsx = page.locator("[data-testid=download-xlsx]").get_attribute("href")
    answer = page.request.get(f"{URL}{xlsx}" if xlsx.startswith("?") else xlsx)
    assert answer.status == 200
    assert answer.headers["content-type"] == XLSX
    assert answer.body()[:2] == b"PK"  # an XLSX is a zip


@pytest.mark.parametrize("size", list(SIZES))
def test_the_public_page_anonymous_in_three_languages(
    demo: Coalition, live_server: Any, browser: Any, size: str
) -> None:
    _link_sources()
    context = browser.new_context(viewport=SIZES[size], base_url=live_server.url)
    page = context.new_page()
    problems: list[str] = []
    for language, title in TITLES.items():
        page.goto(URL)
        page.wait_for_selector("main h1")
        if language != "en":
            set_language(page, language)
        page.wait_for_selector("#chart-members .main-svg")  # the chart drawn
        assert page.locator(f"html[lang={language}]").count() == 1
        assert page.url == f"{live_server.url}{URL}"
        assert page.inner_text("main h1") == title
        assert page.locator("header.top .who").count() == 0  # anonymous
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{language} at {size}: {width[0]} px in {width[1]} px"
        assert _sources_are_links(page) >= 20
        _downloads(page)
        problems += [f"{language} at {size}: {p}" for p in _serious(page)]
    assert problems == [], "\n".join(problems)
    context.close()
