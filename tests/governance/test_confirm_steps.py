"""Steps that cannot be undone ask first, without script: one click on Reject shows a
confirmation page and casts nothing; only its button rejects. Withdrawing opens a
disclosure with its own button."""

import pytest
from django.test import Client

from tests.governance.accession_helpers import pending_of

pytestmark = pytest.mark.django_db


def _page(application_pk: int) -> str:
    return f"/coalitions/drone-coalition/applications/{application_pk}/"


def test_one_click_on_reject_does_not_reject(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    assert client.login(username="delegate-se", password="demo")
    response = client.post(f"{_page(tr.pk)}vote/", {"vote": "reject", "comment": "not yet"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="confirm-reject"' in html
    assert "Reject the application of Türkiye?" in html
    assert "one rejection rejects the application for good" in html
    assert 'name="confirmed" value="yes"' in html and 'value="not yet"' in html
    assert "<script" not in html.split('data-testid="confirm-reject"')[1]
    tr.refresh_from_db()
    assert tr.status == "pending" and tr.votes.count() == 0


def test_the_confirmation_rejects(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    assert client.login(username="delegate-se", password="demo")
    response = client.post(
        f"{_page(tr.pk)}vote/", {"vote": "reject", "comment": "not yet", "confirmed": "yes"}
    )
    assert response.status_code == 302 and response["Location"] == _page(tr.pk)
    tr.refresh_from_db()
    assert tr.status == "rejected"
    assert [(v.country_id, v.vote, v.comment) for v in tr.votes.all()] == [
        ("SE", "reject", "not yet")
    ]


def test_approve_needs_no_confirmation(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    assert client.login(username="delegate-se", password="demo")
    response = client.post(f"{_page(tr.pk)}vote/", {"vote": "approve"})
    assert response.status_code == 302 and tr.votes.get().vote == "approve"


def test_who_may_not_vote_is_refused_without_a_confirmation(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    assert client.login(username="auditor", password="demo")
    response = client.post(f"{_page(tr.pk)}vote/", {"vote": "reject"})
    assert response.status_code == 403 and tr.votes.count() == 0


def test_withdraw_sits_behind_a_disclosure_without_script(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    assert client.login(username="delegate-tr", password="demo")
    html = client.get(_page(tr.pk)).content.decode()
    step = html[html.index('data-testid="withdraw-step"') :]
    step = step[: step.index("</details>")]
    assert "<summary>Withdraw the application</summary>" in step
    assert 'data-testid="withdraw"' in step
    assert "onsubmit" not in html and "confirm(" not in html


@pytest.mark.parametrize(
    ("language", "question"),
    [("fr", "Rejeter la candidature"), ("uk", "Відхилити заявку")],
)
def test_the_confirmation_speaks_french_and_ukrainian(
    demo: object, client: Client, language: str, question: str
) -> None:
    tr = pending_of("TR")
    assert client.login(username="delegate-se", password="demo")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.post(f"{_page(tr.pk)}vote/", {"vote": "reject"}).content.decode()
    assert question in html
