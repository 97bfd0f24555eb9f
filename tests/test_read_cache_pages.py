"""The public transparency page keeps its figures in the read cache (coalition.api_cache):
a write shows on the next visit, each language gets its own figures, and the HTML (the
visitor's name and CSRF token) is never shared."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coalition.governance.models import Coalition, Country
from coalition.governance.services.coalitions import membership_start
from tests.helpers import TEST

pytestmark = pytest.mark.django_db

PAGE = "/coalitions/drone-coalition/public/"


def _member_rows(client: Client) -> int:
    """The rows of the members table as the page shows them (an anonymous visit may come
    whole from the page cache, with no template context to look at)."""
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('data-table="members"', 1)[1].split("</table>", 1)[0]
    return table.split("<tbody>", 1)[1].count("<tr>")


def test_a_write_shows_on_the_next_visit(demo: object, client: Client) -> None:
    before = _member_rows(client)
    assert _member_rows(client) == before  # now from the cache
    membership_start(
        actor=TEST,
        coalition=Coalition.objects.get(slug="drone-coalition"),
        country=Country.objects.get(code="TR"),
        role="member",
        start=date(2025, 5, 1),
    )
    assert _member_rows(client) == before + 1


def test_each_language_gets_its_own_figures(demo: object, client: Client) -> None:
    english = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    again = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "United Kingdom" in english and "Royaume-Uni" not in english
    assert "Royaume-Uni" in french
    assert "United Kingdom" in again and "Royaume-Uni" not in again


def test_the_html_is_each_visitors_own(demo: object, client: Client) -> None:
    anonymous = client.get(PAGE)
    user = get_user_model().objects.get(username="delegate-lv")
    signed_in = Client()
    signed_in.force_login(user)
    theirs = signed_in.get(PAGE).content.decode()
    after = client.get(PAGE).content.decode()
    assert "delegate-lv" in theirs
    assert "delegate-lv" not in anonymous.content.decode() and "delegate-lv" not in after


def test_a_cached_visit_reads_little(demo: object, client: Client) -> None:
    client.get(PAGE)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    sql = [q["sql"] for q in queries]
    # the version, the coalition the URL names, and what the page's frame asks for; none
    # of the figures' tables
    assert len(sql) <= 3, sql
    assert any("audit_audithead" in s for s in sql)
    assert not any(t in s for s in sql for t in ("finance_", "procurement_", "membership"))
