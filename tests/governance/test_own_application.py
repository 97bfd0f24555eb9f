"""A candidate whose application is pending sees that application's status where the
Apply form would be (the apply page and the coalition page), not a form to apply again."""

import pytest
from django.test import Client

from coalition.governance.services import accession
from tests.governance.accession_helpers import pending_of, vote
from tests.helpers import TEST

pytestmark = pytest.mark.django_db
SLUG = "/coalitions/drone-coalition"


def _as(client: Client, username: str) -> Client:
    assert client.login(username=username, password="demo")
    return client


def test_the_apply_page_shows_the_pending_application_instead_of_the_form(
    demo: object, client: Client
) -> None:
    tr = pending_of("TR")
    vote(tr, "GB")
    vote(tr, "SE")
    html = _as(client, "delegate-tr").get(f"{SLUG}/apply/").content.decode()
    assert 'id="apply"' not in html and 'name="country"' not in html
    assert 'data-testid="own-application"' in html
    assert "Türkiye applied on 28 May 2025." in html
    assert 'data-testid="own-status">pending<' in html
    assert "2 of 18 members have voted." in html
    assert f'href="{SLUG}/applications/{tr.pk}/"' in html


def test_the_coalition_page_links_the_pending_application_not_apply(
    demo: object, client: Client
) -> None:
    tr = pending_of("TR")
    html = _as(client, "delegate-tr").get(f"{SLUG}/").content.decode()
    assert 'data-testid="apply"' not in html
    assert 'data-testid="own-application"' in html
    assert f'{SLUG}/applications/{tr.pk}/" data-testid="own-application"' in html


def test_after_a_withdrawal_the_form_comes_back(demo: object, client: Client) -> None:
    accession.application_withdraw(actor=TEST, application=pending_of("TR"))
    _as(client, "delegate-tr")
    html = client.get(f"{SLUG}/apply/").content.decode()
    assert 'id="apply"' in html and 'data-testid="own-application"' not in html
    assert 'data-testid="apply"' in client.get(f"{SLUG}/").content.decode()


def test_a_member_and_the_chair_see_no_own_application(demo: object, client: Client) -> None:
    for username in ("delegate-gb", "delegate-lv"):
        client.logout()
        html = _as(client, username).get(f"{SLUG}/apply/").content.decode()
        assert 'data-testid="own-application"' not in html


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Votes exprimés : 0 sur 18 membres."), ("uk", "Проголосували 0 з 18 членів.")],
)
def test_the_status_speaks_french_and_ukrainian(
    demo: object, client: Client, language: str, text: str
) -> None:
    _as(client, "delegate-tr").post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.get(f"{SLUG}/apply/").content.decode()
    assert text in html
