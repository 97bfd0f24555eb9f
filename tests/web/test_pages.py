"""Server-rendered pages: content, languages, and nothing loaded from the network."""

import re

import pytest
from django.test import Client

from tests.helpers import EXTERNAL

pytestmark = pytest.mark.django_db


def test_coalition_page_shows_members_roles_and_pending(demo: object, client: Client) -> None:
    html = client.get("/coalitions/drone-coalition/").content.decode()
    assert html.count('data-country="') == 18  # the members today (no one joined since)
    assert "🇱🇻" in html and "Latvia" in html
    assert 'data-testid="pending-TR"' in html and 'data-testid="pending-BE"' in html
    assert "Members and roles over time" in html  # the timeline chart
    assert "riga-2024-10" in html  # a source next to the fact


def test_pages_load_nothing_from_the_network(demo: object, client: Client) -> None:
    for path in [
        "/",
        "/coalitions/drone-coalition/",
        "/countries/UA/",
        "/login/",
        "/api/v1/docs",
    ]:
        html = client.get(path).content.decode()
        assert not EXTERNAL.findall(html), path


def test_plotly_is_served_by_the_platform(client: Client) -> None:
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert b"plotly" in response.content[:5000].lower()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Pending applications"),
        ("fr", "Candidatures en attente"),
        ("uk", "Заявки на розгляді"),
    ],
)
def test_the_coalition_page_speaks_three_languages(
    demo: object, client: Client, language: str, expected: str
) -> None:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.get("/coalitions/drone-coalition/").content.decode()
    assert expected in html
    assert f'<html lang="{language}">' in html


def test_country_page(demo: object, client: Client) -> None:
    html = client.get("/countries/LU/").content.decode()
    assert "Luxembourg" in html and "31 October 2024" in html


def test_unknown_pages_are_404(demo: object, client: Client) -> None:
    assert client.get("/coalitions/nope/").status_code == 404
    assert client.get("/countries/XX/").status_code == 404


def test_login_and_logout(demo: object, client: Client) -> None:
    response = client.post("/login/", {"username": "delegate-lv", "password": "demo"})
    assert response.status_code == 302
    assert "delegate-lv" in client.get("/").content.decode()
    client.post("/logout/")
    assert "delegate-lv" not in client.get("/").content.decode()


def test_wrong_password_is_refused(demo: object, client: Client) -> None:
    response = client.post("/login/", {"username": "delegate-lv", "password": "nope"})
    assert response.status_code == 200
    assert "didn" in response.content.decode()


def test_every_source_is_a_link(demo: object, client: Client) -> None:
    """A fact's [key] leads to the sources table, whose titles lead to the source itself
    where it has an address (the demo's seed gives none: one is added here)."""
    from coalition.governance.models import Source

    Source.objects.filter(key="riga-2024-10").update(url="https://example.org/riga")
    html = client.get("/coalitions/drone-coalition/").content.decode()
    assert '<a href="https://example.org/riga" rel="noopener noreferrer"' in html
    keys = set(re.findall(r'href="#source-([^"]+)">\[\1\]</a>', html))
    assert {"riga-2024-10", "udcg-loi-2024", "article-2025-05"} <= keys
    assert all(f'id="source-{key}"' in html for key in keys)
    named = set(re.findall(r"\[([a-z0-9-]+)\]", html))
    assert named == keys  # no source named without a link
