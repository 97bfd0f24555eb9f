"""Whole pages for anonymous visitors from the cache (coalition.web.page_cache): rendered
once per data version, each visitor with their own working CSRF token, never a logged-in
visitor's page, never one with a message waiting, and the access policy still asked."""

import re

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from coalition.governance.models import Coalition, Country
from coalition.governance.services.accession import application_submit
from coalition.web import page_cache
from tests.helpers import TEST

pytestmark = pytest.mark.django_db

PUBLIC = "/coalitions/drone-coalition/public/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates rendered from now on."""
    from django.template import Template

    rendered: list[str] = []
    original = Template._render

    def spy(self: Template, context: object) -> object:
        rendered.append(str(self.name))
        return original(self, context)

    monkeypatch.setattr(Template, "_render", spy)
    return rendered


@pytest.mark.parametrize("path", ["/", PUBLIC])
def test_a_page_is_rendered_once_and_each_visitor_gets_a_token_that_works(
    demo: Coalition, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    rendered = _renders(monkeypatch)
    one, two = first.get(path), second.get(path)
    assert one.status_code == two.status_code == 200
    pages = ("web/home.html", "reporting/public.html")
    assert len([name for name in rendered if name in pages]) == 1
    assert one["Content-Type"] == "text/html; charset=utf-8"
    for client, response in ((first, one), (second, two)):
        html = response.content.decode()
        assert page_cache.PLACEHOLDER not in html
        tokens = set(TOKEN.findall(html))
        assert len(tokens) == 1  # the language form's
        assert "csrftoken" in response.cookies
        switched = client.post(
            "/i18n/setlang/", {"language": "fr", "next": path, "csrfmiddlewaretoken": tokens.pop()}
        )
        assert switched.status_code == 302
        assert "Membres" in client.get(path).content.decode()  # French, from its own entry
    assert TOKEN.findall(one.content.decode()) != TOKEN.findall(two.content.decode())


def test_a_write_shows_at_once(demo: Coalition) -> None:
    client = Client()
    assert '<dd data-figure="pending">2</dd>' in client.get("/").content.decode()
    application_submit(actor=TEST, coalition=demo, country=Country.objects.get(code="JP"))
    assert '<dd data-figure="pending">3</dd>' in client.get("/").content.decode()


def test_a_logged_in_visitor_gets_their_own_page(demo: Coalition) -> None:
    Client().get(PUBLIC)  # cached for anonymous visitors
    client = Client()
    client.force_login(get_user_model().objects.get(username="delegate-lv"))
    html = client.get(PUBLIC).content.decode()
    assert 'data-testid="account"' in html and "delegate-lv" in html


def test_a_visitor_with_a_message_waiting_sees_it(demo: Coalition) -> None:
    client = Client()
    client.get("/")  # cached
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(messages.INFO, "Something to read once")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    assert "Something to read once" in client.get("/").content.decode()
    assert "Something to read once" not in client.get("/").content.decode()


def test_the_policy_is_asked_before_a_cached_page_is_served(
    demo: Coalition, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Client().get(PUBLIC).status_code == 200

    def refuse(actor: object, action: str) -> None:
        raise PermissionDenied(action)

    monkeypatch.setattr(page_cache, "require", refuse)
    assert Client().get(PUBLIC).status_code == 403


def test_downloads_and_unknown_pages_are_not_cached(demo: Coalition) -> None:
    client = Client()
    for _ in range(2):
        csv = client.get(PUBLIC + "?download=csv")
        assert csv.status_code == 200 and "attachment" in csv["Content-Disposition"]
        assert client.get("/coalitions/no-such-coalition/public/").status_code == 404


def test_a_cached_public_page_costs_one_query(demo: Coalition) -> None:
    """The data's version and what the coalition hides, in one round trip."""
    client = Client()
    first = client.get(PUBLIC)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(PUBLIC)
    assert again.status_code == 200 and len(again.content) == len(first.content)
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "confidential_prices" in queries[0]["sql"]
