"""Every page of a coalition carries the same section menu, with the page it is on marked
`aria-current`: governance, finance, procurement and the public page alike."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from coalition.governance.models import Application

pytestmark = pytest.mark.django_db

SLUG = "drone-coalition"


def section_nav(html: str) -> str:
    found = re.search(r'<nav class="sub"[^>]*data-testid="section-nav">(.*?)</nav>', html, re.S)
    assert found is not None
    return found.group(1)


def current(nav: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" aria-current="page">', nav)


def pages() -> list[tuple[str, str]]:
    application = Application.objects.filter(coalition__slug=SLUG).order_by("pk").first()
    assert application is not None
    return [
        (f"/coalitions/{SLUG}/", f"/coalitions/{SLUG}/"),
        (f"/coalitions/{SLUG}/applications/{application.pk}/", f"/coalitions/{SLUG}/"),
        (f"/coalitions/{SLUG}/meetings/", f"/coalitions/{SLUG}/meetings/"),
        (f"/coalitions/{SLUG}/finance/", f"/coalitions/{SLUG}/finance/"),
        (f"/coalitions/{SLUG}/requirements/", f"/coalitions/{SLUG}/requirements/"),
        (f"/coalitions/{SLUG}/orders/", f"/coalitions/{SLUG}/orders/"),
        (f"/coalitions/{SLUG}/reconciliation/", f"/coalitions/{SLUG}/reconciliation/"),
        (f"/coalitions/{SLUG}/public/", f"/coalitions/{SLUG}/public/"),
    ]


def test_one_section_menu_on_every_coalition_page(demo: object, client: Client) -> None:
    client.force_login(get_user_model().objects.get(username="delegate-gb"))
    for path, marked in pages():
        response = client.get(path)
        assert response.status_code == 200, path
        nav = section_nav(response.content.decode())
        assert current(nav) == [marked], path
        for link in ("meetings/", "finance/", "requirements/", "orders/", "public/"):
            assert f'href="/coalitions/{SLUG}/{link}"' in nav, (path, link)


def test_a_visitor_s_menu_leaves_out_what_needs_a_login(demo: object, client: Client) -> None:
    nav = section_nav(client.get(f"/coalitions/{SLUG}/").content.decode())
    assert f'href="/coalitions/{SLUG}/finance/"' in nav
    assert f'href="/coalitions/{SLUG}/public/"' in nav
    assert "requirements/" not in nav and "orders/" not in nav


def test_the_username_leads_to_the_account_s_pages(demo: object, client: Client) -> None:
    client.force_login(get_user_model().objects.get(username="delegate-gb"))
    html = client.get("/").content.decode()
    assert re.search(r'<a class="who" href="/account/tokens/" data-testid="account"', html)
    for path, marked in (("/account/tokens/", "tokens"), ("/account/two-factor/", "two-factor")):
        nav = section_nav(client.get(path).content.decode())
        assert current(nav) == [f"/account/{marked}/"], path
        assert 'href="/account/tokens/"' in nav and 'href="/account/two-factor/"' in nav
