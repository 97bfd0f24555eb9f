"""The accession web pages: what each role sees and may do, in three languages."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from coalition.governance.models import Application
from coalition.governance.services import accession, meetings
from tests.governance.accession_helpers import DEMO_ELECTORATE, drone, pending_of, vote
from tests.helpers import EXTERNAL, TEST

pytestmark = pytest.mark.django_db


def page_of(application: Application) -> str:
    return f"/coalitions/drone-coalition/applications/{application.pk}/"


def as_user(client: Client, username: str) -> Client:
    assert client.login(username=username, password="demo")
    return client


def html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_application_page_needs_a_login(demo: object, client: Client) -> None:
    response = client.get(page_of(pending_of("TR")))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_application_page_shows_tally_chart_rule_votes_and_what_is_needed(
    demo: object, client: Client
) -> None:
    tr = pending_of("TR")
    vote(tr, "GB", comment="welcome aboard")
    page = html(as_user(client, "auditor"), page_of(tr))
    assert "Türkiye applies to join the Drone Coalition" in page
    assert "plotly-graph-div" in page and "/vendor/plotly-basic.min.js" in page
    assert "Unanimity: all 18 members of the electorate must approve" in page
    assert "17 more approvals are needed." in page
    assert 'data-country="GB"' in page and "🇬🇧" in page and "welcome aboard" in page
    assert "2 June 2025, 12:00" in page
    assert 'data-testid="approve"' not in page and 'data-testid="withdraw"' not in page
    assert not EXTERNAL.findall(page)


def test_an_elector_who_has_not_voted_gets_the_vote_buttons(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    page = html(as_user(client, "delegate-gb"), page_of(tr))
    assert 'data-testid="approve"' in page and 'data-testid="reject"' in page
    vote(tr, "GB")
    assert 'data-testid="approve"' not in html(client, page_of(tr))


@pytest.mark.parametrize("username", ["delegate-tr", "delegate-be", "beneficiary-ua", "admin"])
def test_no_vote_buttons_for_those_without_a_vote(
    demo: object, client: Client, username: str
) -> None:
    assert 'data-testid="approve"' not in html(as_user(client, username), page_of(pending_of("TR")))


def test_voting_from_the_page(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    response = as_user(client, "delegate-gb").post(
        f"{page_of(tr)}vote/", {"vote": "approve", "comment": "yes"}
    )
    assert response.status_code == 302 and response["Location"] == page_of(tr)
    assert [(v.country_id, v.vote, v.comment) for v in tr.votes.all()] == [("GB", "approve", "yes")]
    page = html(client, page_of(tr))
    assert "Your vote is recorded: approve." in page
    client.post(f"{page_of(tr)}vote/", {"vote": "reject"})
    assert f"Refused: GB has already voted on application {tr.pk}" in html(client, page_of(tr))


def test_a_vote_from_the_page_by_a_non_elector_is_refused(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    response = as_user(client, "auditor").post(f"{page_of(tr)}vote/", {"vote": "approve"})
    assert response.status_code == 403
    assert "only a member country&#x27;s delegate votes" in response.content.decode()
    assert tr.votes.count() == 0


def test_the_home_page_lists_what_awaits_the_delegate_s_vote(demo: object, client: Client) -> None:
    page = html(as_user(client, "delegate-gb"), "/")
    assert 'data-testid="awaiting-TR"' in page and 'data-testid="awaiting-BE"' in page
    assert page_of(pending_of("TR")) in page
    vote(pending_of("TR"), "GB")
    page = html(client, "/")
    assert 'data-testid="awaiting-TR"' not in page and 'data-testid="awaiting-BE"' in page
    assert 'id="all-pending"' not in page  # only the chair sees all


def test_a_member_with_nothing_to_vote_is_told_so(demo: object, client: Client) -> None:
    vote(pending_of("TR"), "GB")
    vote(pending_of("BE"), "GB")
    page = html(as_user(client, "delegate-gb"), "/")
    assert 'id="awaiting-vote"' in page and "Nothing awaits your vote." in page


def test_the_chair_sees_all_pending_applications(demo: object, client: Client) -> None:
    page = html(as_user(client, "delegate-lv"), "/")
    assert 'id="all-pending"' in page and 'data-testid="pending-TR"' in page


def test_the_candidate_sees_its_application_and_may_withdraw(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    page = html(as_user(client, "delegate-tr"), "/")
    assert page_of(tr) in page
    # A candidate has no vote anywhere: no "awaiting your vote" panel at all.
    assert 'id="awaiting-vote"' not in page and "Nothing awaits your vote." not in page
    assert 'data-testid="withdraw"' in html(client, page_of(tr))
    client.post(f"{page_of(tr)}withdraw/")
    tr.refresh_from_db()
    assert tr.status == "withdrawn"
    assert "The application is withdrawn." in html(client, page_of(tr))


def test_the_candidate_applies_again_with_the_form(demo: object, client: Client) -> None:
    accession.application_withdraw(actor=TEST, application=pending_of("TR"))
    as_user(client, "delegate-tr")
    assert 'data-testid="apply"' in html(client, "/coalitions/drone-coalition/")
    form = html(client, "/coalitions/drone-coalition/apply/")
    assert '<option value="TR">' in form and 'name="letter_reference"' not in form
    response = client.post("/coalitions/drone-coalition/apply/", {"country": "TR"})
    assert response["Location"] == page_of(pending_of("TR"))


def test_a_member_s_delegate_has_nothing_to_apply_for(demo: object, client: Client) -> None:
    response = as_user(client, "delegate-gb").get("/coalitions/drone-coalition/apply/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="cannot-apply"' in page and 'id="apply"' not in page


def test_an_auditor_may_not_apply(demo: object, client: Client) -> None:
    assert as_user(client, "auditor").get("/coalitions/drone-coalition/apply/").status_code == 403


def test_the_chair_records_a_letter_application(demo: object, client: Client) -> None:
    as_user(client, "delegate-lv")
    assert 'data-testid="record-application"' in html(client, "/coalitions/drone-coalition/")
    assert 'name="letter_reference"' in html(client, "/coalitions/drone-coalition/apply/")
    client.post(
        "/coalitions/drone-coalition/apply/",
        {"country": "JP", "letter_reference": "JP/2025/7", "letter_date": "2025-06-10"},
    )
    jp = pending_of("JP")
    assert (jp.letter_reference, jp.letter_date) == ("JP/2025/7", dt.date(2025, 6, 10))
    assert jp.submitted == timezone.localdate()
    assert "JP/2025/7" in html(client, page_of(jp))


def test_the_coalition_page_links_applications(demo: object, client: Client) -> None:
    page = html(client, "/coalitions/drone-coalition/")
    assert page_of(pending_of("TR")) in page and page_of(pending_of("BE")) in page


def _approve_tr_and_link(client: Client) -> Application:
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE:
        vote(tr, code)
    as_user(client, "delegate-lv")
    client.post(
        "/coalitions/drone-coalition/meetings/",
        {"date": "2025-06-02", "kind": "steering-committee", "place": "Riga"},
    )
    meeting = drone().meetings.get(date=dt.date(2025, 6, 2))
    page = html(client, page_of(tr))
    assert 'id="link-meeting"' in page
    client.post(f"{page_of(tr)}meeting/", {"meeting": meeting.pk})
    return tr


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "approved at the steering committee of 2 June 2025"),
        ("fr", "approuvée au comité directeur du 2 juin 2025"),
        ("uk", "схвалено на засіданні керівного комітету 2 червня 2025"),
    ],
)
def test_the_chair_links_the_decision_to_a_meeting(
    demo: object, client: Client, language: str, expected: str
) -> None:
    tr = _approve_tr_and_link(client)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert expected in html(client, page_of(tr))
    assert expected in html(client, "/coalitions/drone-coalition/")
    assert expected in html(client, "/coalitions/drone-coalition/meetings/")


def test_only_the_chair_records_meetings(demo: object, client: Client) -> None:
    as_user(client, "delegate-gb")
    page = html(client, "/coalitions/drone-coalition/meetings/")
    assert 'id="record-meeting"' not in page and "Riga" in page
    client.post("/coalitions/drone-coalition/meetings/", {"date": "2025-06-02", "kind": "summit"})
    assert drone().meetings.count() == 1
    meetings.meeting_record(actor=TEST, coalition=drone(), date=dt.date(2025, 6, 2), kind="udcg")
    assert "UDCG meeting" in html(client, "/coalitions/drone-coalition/meetings/")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["Votre vote", "Approuver", "Rejeter", "Encore nécessaire"]),
        ("uk", ["Ваш голос", "Схвалити", "Відхилити", "Ще потрібно"]),
    ],
)
def test_the_application_page_speaks_french_and_ukrainian(
    demo: object, client: Client, language: str, expected: list[str]
) -> None:
    as_user(client, "delegate-gb").post("/i18n/setlang/", {"language": language, "next": "/"})
    page = html(client, page_of(pending_of("TR")))
    for text in expected:
        assert text in page, text
    assert "Awaiting your vote" not in html(client, "/")
