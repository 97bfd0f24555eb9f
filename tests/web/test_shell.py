"""The page shell every page shares: a skip link to the main content, one site navigation
(the same links in the same order on every page for a given user) with the section's own
links below it, and a language menu that changes only when its button is pressed (no
inline script)."""

import re

import pytest
from django.test import Client

from coalition.finance.models import Fund
from coalition.governance.models import Coalition

pytestmark = pytest.mark.django_db

SLUG = "/coalitions/drone-coalition"
SITE_NAV = re.compile(r'<nav class="site"[^>]*>(.*?)</nav>', re.S)
SUB_NAV = re.compile(r'<nav class="sub"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]*)"[^>]*>([^<]*)</a>')


def _pages(coalition: Coalition) -> list[str]:
    fund = Fund.objects.filter(coalition=coalition).order_by("pk").first()
    assert fund is not None
    return [
        "/",
        f"{SLUG}/",
        "/countries/UA/",
        f"{SLUG}/meetings/",
        f"{SLUG}/finance/",
        f"{SLUG}/finance/funds/{fund.pk}/",
        f"{SLUG}/requirements/",
        f"{SLUG}/competitions/",
        "/plans/",
        f"{SLUG}/orders/",
        f"{SLUG}/deliveries/",
        f"{SLUG}/reconciliation/",
        "/purchases/",
    ]


def _get(client: Client, path: str) -> str:
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("username", ["delegate-gb", "beneficiary-ua", "auditor", None])
def test_the_site_navigation_is_the_same_on_every_page(
    demo: Coalition, client: Client, username: str | None
) -> None:
    if username:
        assert client.login(username=username, password="demo")
    navs = {}
    for path in _pages(demo):
        html = _get(client, path)
        [nav] = SITE_NAV.findall(html)
        navs[path] = LINK.findall(nav)
    first = navs["/"]
    assert len(first) >= 1
    assert {path: links for path, links in navs.items() if links != first} == {}


def test_the_section_links_sit_below_the_site_navigation(demo: Coalition, client: Client) -> None:
    assert client.login(username="delegate-gb", password="demo")
    html = _get(client, f"{SLUG}/orders/")
    [sub] = SUB_NAV.findall(html)
    assert 'aria-current="page"' in sub and f"{SLUG}/deliveries/" in sub
    assert html.index('<nav class="site"') < html.index('<nav class="sub"') < html.index("<main")
    [site] = SITE_NAV.findall(html)
    assert f"{SLUG}/deliveries/" not in site


def test_every_page_has_a_skip_link_to_main(demo: Coalition, client: Client) -> None:
    for path in ["/", f"{SLUG}/", "/login/", "/countries/UA/"]:
        html = _get(client, path)
        body = html[html.index("<body") :]
        first_link = re.search(r"<a [^>]*>", body)
        assert first_link is not None
        assert 'class="skip"' in first_link.group(0) and 'href="#main"' in first_link.group(0)
        assert '<main id="main"' in html


@pytest.mark.parametrize(
    ("language", "button"), [("en", "Change"), ("fr", "Changer"), ("uk", "Змінити")]
)
def test_the_language_menu_changes_only_with_its_button(
    demo: Coalition, client: Client, language: str, button: str
) -> None:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = _get(client, "/")
    form = html[html.index('<form action="/i18n/setlang/"') :]
    form = form[: form.index("</form>")]
    assert "onchange" not in form and "<script" not in form
    assert re.search(rf'<button type="submit"[^>]*>{button}</button>', form)
    assert "Skip to main content" not in html or language == "en"
