"""The accession API of CONTRACT.md: exact status codes and JSON bodies, and a permission
test of every endpoint for every demo role."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from coalition.audit.models import AuditEvent
from coalition.governance.services import accession, meetings
from tests.governance.accession_helpers import (
    DEMO_ELECTORATE,
    apply,
    drone,
    pending_of,
    refreshed,
    small_coalition,
    vote,
)
from tests.helpers import DEMO_ROLES, TEST, api_get, api_post, bearer

pytestmark = pytest.mark.django_db
BASE = "/coalitions/drone-coalition"
ROLES = [*DEMO_ROLES, None]  # None: anonymous
UNAUTHENTICATED = {
    "detail": "Authentication required: a Bearer token or a session.",
    "code": "auth.required",
}
NOT_A_VOTER = {
    "detail": "only a member country's delegate votes",
    "code": "application.vote.forbidden",
}
NOT_THE_CHAIR = "only the chair's delegate or an administrator may"
CANDIDATE = {
    "detail": "TR is the candidate and does not vote on its application",
    "code": "application.candidate_votes",
}


def tr_id() -> int:
    return pending_of("TR").pk


def withdraw_tr() -> None:
    accession.application_withdraw(actor=TEST, application=pending_of("TR"))


# GET .../applications and .../applications/{id}


@pytest.mark.parametrize("username", ROLES)
def test_reading_applications_needs_a_login(
    demo: object, client: Client, username: str | None
) -> None:
    for path in [f"{BASE}/applications", f"{BASE}/applications/{tr_id()}"]:
        status, body = api_get(client, path, username)
        assert status == (200 if username else 401), (path, username)
        if not username:
            assert body == UNAUTHENTICATED


def test_application_detail_body(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    vote(tr, "GB", comment="welcome")
    status, body = api_get(client, f"{BASE}/applications/{tr.pk}", "auditor")
    assert status == 200
    cast = body["votes"][0].pop("cast")
    assert dt.datetime.fromisoformat(cast) == dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC)
    assert body == {
        "id": tr.pk,
        "country": "TR",
        "status": "pending",
        "submitted": "2025-05-28",
        "decided": None,
        "deadline": None,
        "letter_reference": "",
        "letter_date": None,
        "meeting": "summit 2025-05-28 Riga",
        "note": tr.note,
        "electorate": sorted(DEMO_ELECTORATE),
        "votes": [{"country": "GB", "vote": "approve", "comment": "welcome"}],
        "rule": {
            "name": "unanimity",
            "threshold": "1.0000",
            "quorum": "0.0000",
            "approvals_required": 18,
            "votes_required": 18,
        },
        "tally": {"electorate": 18, "approve": 1, "reject": 0, "not_voted": 17},
        "still_needed": {"approvals": 17, "votes": 17},
        "decision_meeting": None,
    }


def test_an_unknown_application_is_a_json_404(demo: object, client: Client) -> None:
    assert api_get(client, f"{BASE}/applications/999999", "auditor") == (
        404,
        {
            "detail": "no application 999999 in coalition 'drone-coalition'",
            "code": "application.not_found",
        },
    )


def test_list_filters_by_status(demo: object, client: Client) -> None:
    withdraw_tr()
    status, body = api_get(client, f"{BASE}/applications?status=withdrawn", "auditor")
    assert status == 200
    assert [(a["country"], a["status"]) for a in body] == [("TR", "withdrawn")]


# POST .../applications


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", 201),
        ("auditor", 403),
        ("beneficiary-ua", 403),
        ("delegate-lv", 201),  # the chair records any application
        ("delegate-tr", 201),  # the candidate's own delegate
        ("delegate-gb", 403),  # a member's delegate, for another country
        (None, 401),
    ],
)
def test_who_may_apply_for_tr(
    demo: object, client: Client, username: str | None, expected: int
) -> None:
    withdraw_tr()
    status, body = api_post(client, f"{BASE}/applications", {"country": "TR"}, username)
    assert status == expected, body
    if expected == 201:
        assert (body["country"], body["status"], body["votes"]) == ("TR", "pending", [])
        assert body["submitted"] == timezone.localdate().isoformat()
        assert len(body["electorate"]) == 18
    elif expected == 403:
        assert body == {
            "detail": "only a delegate of TR may apply for TR",
            "code": "application.submit.forbidden",
        }


def test_applying_twice_is_a_409(demo: object, client: Client) -> None:
    status, body = api_post(client, f"{BASE}/applications", {"country": "TR"}, "delegate-tr")
    assert (status, body) == (
        409,
        {
            "detail": "TR already has a pending application to drone-coalition",
            "code": "application.already_pending",
        },
    )


def test_a_member_applying_is_a_403(demo: object, client: Client) -> None:
    status, body = api_post(client, f"{BASE}/applications", {"country": "GB"}, "delegate-gb")
    assert (status, body) == (
        403,
        {
            "detail": "GB is already a member of drone-coalition",
            "code": "application.already_member",
        },
    )


def test_only_the_chair_records_a_letter(demo: object, client: Client) -> None:
    withdraw_tr()
    letter = {"country": "TR", "letter_reference": "TR-MSB/2025/42", "letter_date": "2025-06-10"}
    status, body = api_post(client, f"{BASE}/applications", letter, "delegate-tr")
    assert (status, body) == (
        403,
        {
            "detail": "only the chair's delegate or an administrator records a letter "
            "or sets a deadline",
            "code": "application.record_letter.forbidden",
        },
    )
    status, body = api_post(client, f"{BASE}/applications", letter, "delegate-lv")
    assert status == 201
    assert (body["letter_reference"], body["letter_date"], body["submitted"]) == (
        "TR-MSB/2025/42",
        "2025-06-10",
        timezone.localdate().isoformat(),
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"country": "XX"}, "country"), ({}, None), ({"country": "JP", "letter_date": "soon"}, None)],
)
def test_bad_application_bodies_are_422(
    demo: object, client: Client, payload: dict[str, object], field: str | None
) -> None:
    status, body = api_post(client, f"{BASE}/applications", payload, "delegate-lv")
    assert status == 422 and "detail" in body
    if field:
        assert body == {
            "detail": "unknown country code 'XX'",
            "code": "country.unknown",
            "field": "country",
        }


# POST .../applications/{id}/votes


@pytest.mark.parametrize(
    ("username", "expected", "detail"),
    [
        ("admin", 403, NOT_A_VOTER),
        ("auditor", 403, NOT_A_VOTER),
        ("beneficiary-ua", 403, NOT_A_VOTER),
        ("delegate-lv", 201, None),
        (
            "delegate-tr",
            403,
            {
                "detail": "TR is the candidate and does not vote on its application",
                "code": "application.candidate_votes",
            },
        ),
        ("delegate-gb", 201, None),
        (None, 401, UNAUTHENTICATED),
    ],
)
def test_who_may_vote_on_tr(
    demo: object, client: Client, username: str | None, expected: int, detail: object
) -> None:
    tr = tr_id()
    status, body = api_post(
        client, f"{BASE}/applications/{tr}/votes", {"vote": "approve"}, username
    )
    assert status == expected, body
    if detail:
        assert body == detail
    else:
        body.pop("cast")
        code = username.removeprefix("delegate-").upper()
        assert body == {
            "country": code,
            "vote": "approve",
            "comment": "",
            "application": tr,
            "application_status": "pending",
            "decided": None,
        }


def test_the_other_candidate_has_no_vote(demo: object, client: Client) -> None:
    status, body = api_post(
        client, f"{BASE}/applications/{tr_id()}/votes", {"vote": "approve"}, "delegate-be"
    )
    assert status == 403
    assert body["detail"].startswith("BE was not a member of drone-coalition on 2025-05-28")


def test_a_second_vote_is_a_409(demo: object, client: Client) -> None:
    tr = tr_id()
    path = f"{BASE}/applications/{tr}/votes"
    assert api_post(client, path, {"vote": "approve"}, "delegate-gb")[0] == 201
    status, body = api_post(client, path, {"vote": "reject"}, "delegate-gb")
    assert (status, body) == (
        409,
        {
            "detail": f"GB has already voted on application {tr}",
            "code": "application.already_voted",
        },
    )


def test_a_vote_on_a_decided_application_is_a_409(demo: object, client: Client) -> None:
    tr = tr_id()
    path = f"{BASE}/applications/{tr}/votes"
    status, body = api_post(client, path, {"vote": "reject", "comment": "no"}, "delegate-gb")
    today = timezone.localdate().isoformat()
    assert (status, body["application_status"], body["decided"]) == (201, "rejected", today)
    status, body = api_post(client, path, {"vote": "approve"}, "delegate-lv")
    assert (status, body) == (
        409,
        {
            "detail": f"application {tr} is already rejected (on {today})",
            "code": "application.decided",
        },
    )


def test_the_last_vote_approves_and_the_member_list_shows_it(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE[1:]:
        vote(tr, code, on=timezone.localdate())
    status, body = api_post(
        client, f"{BASE}/applications/{tr.pk}/votes", {"vote": "approve"}, "delegate-lv"
    )
    today = timezone.localdate()
    assert (status, body["application_status"], body["decided"]) == (
        201,
        "approved",
        today.isoformat(),
    )
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    on_day = {m["country"] for m in api_get(client, f"{BASE}/members?on={today}")[1]}
    day_before = {m["country"] for m in api_get(client, f"{BASE}/members?on={yesterday}")[1]}
    assert "TR" in on_day and "TR" not in day_before


@pytest.mark.parametrize("payload", [{"vote": "maybe"}, {}, {"vote": "approve", "comment": 3}])
def test_bad_vote_bodies_are_422(demo: object, client: Client, payload: dict[str, object]) -> None:
    status, body = api_post(client, f"{BASE}/applications/{tr_id()}/votes", payload, "delegate-gb")
    assert status == 422 and isinstance(body["detail"], list)


def test_an_expired_application_reads_as_decided_and_nothing_is_written(
    demo: object, client: Client
) -> None:
    coalition = small_coalition(members=["AT", "BG"])
    application = apply(coalition, "IE", deadline=dt.date(2025, 1, 31))
    headers = bearer("admin")
    events = AuditEvent.objects.count()
    response = client.get(f"/api/v1/coalitions/small/applications/{application.pk}", **headers)
    body = response.json()
    assert (response.status_code, body["status"], body["decided"]) == (
        200,
        "rejected",
        "2025-01-31",
    )
    assert body["still_needed"] == {"approvals": 0, "votes": 0}
    assert refreshed(application).status == "pending"  # the worker records the decision
    assert AuditEvent.objects.count() == events


# POST .../applications/{id}/withdraw


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", 200),
        ("auditor", 403),
        ("beneficiary-ua", 403),
        ("delegate-lv", 200),
        ("delegate-tr", 200),
        ("delegate-gb", 403),
        (None, 401),
    ],
)
def test_who_may_withdraw_tr(
    demo: object, client: Client, username: str | None, expected: int
) -> None:
    status, body = api_post(client, f"{BASE}/applications/{tr_id()}/withdraw", {}, username)
    assert status == expected, body
    if expected == 200:
        assert (body["status"], body["decided"]) == ("withdrawn", timezone.localdate().isoformat())
    elif expected == 403:
        assert body == {
            "detail": "only a delegate of TR, the chair's delegate or an administrator may "
            "withdraw this application",
            "code": "application.withdraw.forbidden",
        }


def test_withdrawing_twice_is_a_409(demo: object, client: Client) -> None:
    tr = tr_id()
    path = f"{BASE}/applications/{tr}/withdraw"
    assert api_post(client, path, {}, "delegate-tr")[0] == 200
    status, body = api_post(client, path, {}, "delegate-tr")
    assert status == 409 and body["detail"].startswith(f"application {tr} is already withdrawn")


# Meetings


@pytest.mark.parametrize("username", ROLES)
def test_who_may_read_meetings(demo: object, client: Client, username: str | None) -> None:
    status, body = api_get(client, f"{BASE}/meetings", username)
    assert status == (200 if username else 401)
    if username:
        assert [(m["date"], m["kind"], m["place"], m["decisions"]) for m in body] == [
            ("2025-05-28", "summit", "Riga", [])
        ]


CHAIR_ONLY = [
    ("admin", 201),
    ("auditor", 403),
    ("beneficiary-ua", 403),
    ("delegate-lv", 201),
    ("delegate-tr", 403),
    ("delegate-gb", 403),
    (None, 401),
]


@pytest.mark.parametrize(("username", "expected"), CHAIR_ONLY)
def test_who_may_record_a_meeting(
    demo: object, client: Client, username: str | None, expected: int
) -> None:
    meeting = {"date": "2025-06-02", "kind": "steering-committee", "place": "Riga"}
    status, body = api_post(client, f"{BASE}/meetings", meeting, username)
    assert status == expected, body
    if expected == 201:
        assert body == {
            "id": body["id"],
            "date": "2025-06-02",
            "kind": "steering-committee",
            "place": "Riga",
            "title": "",
            "decisions": [],
        }
    elif expected == 403:
        assert body == {
            "detail": f"{NOT_THE_CHAIR} record a meeting",
            "code": "meeting.record.forbidden",
        }


def test_a_meeting_of_an_unknown_kind_is_a_422(demo: object, client: Client) -> None:
    status, _ = api_post(
        client, f"{BASE}/meetings", {"date": "2025-06-02", "kind": "party"}, "delegate-lv"
    )
    assert status == 422


@pytest.mark.parametrize(("username", "expected"), CHAIR_ONLY)
def test_who_may_record_a_decision(
    demo: object, client: Client, username: str | None, expected: int
) -> None:
    meeting = meetings.meeting_record(
        actor=TEST, coalition=drone(), date=dt.date(2025, 6, 2), kind="steering-committee"
    )
    status, body = api_post(
        client,
        f"{BASE}/meetings/{meeting.pk}/decisions",
        {"text": "The fund's 2026 budget is adopted."},
        username,
    )
    assert status == expected, body
    if expected == 201:
        assert {k: v for k, v in body.items() if k != "id"} == {
            "text": "The fund's 2026 budget is adopted.",
            "application": None,
            "country": None,
            "status": None,
        }


def test_linking_the_decision_on_tr_to_the_steering_committee(demo: object, client: Client) -> None:
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE:
        vote(tr, code)
    _, meeting = api_post(
        client,
        f"{BASE}/meetings",
        {"date": "2025-06-02", "kind": "steering-committee", "place": "Riga"},
        "delegate-lv",
    )
    path = f"{BASE}/meetings/{meeting['id']}/decisions"
    status, body = api_post(client, path, {"application": tr.pk}, "delegate-lv")
    assert status == 201
    assert {k: v for k, v in body.items() if k != "id"} == {
        "text": "Accession of Türkiye: application approved",
        "application": tr.pk,
        "country": "TR",
        "status": "approved",
    }
    _, detail = api_get(client, f"{BASE}/applications/{tr.pk}", "auditor")
    assert detail["decision_meeting"] == {
        "id": meeting["id"],
        "date": "2025-06-02",
        "kind": "steering-committee",
        "place": "Riga",
        "title": "",
    }
    status, body = api_post(client, path, {"application": tr.pk}, "delegate-lv")
    assert (status, body) == (
        409,
        {
            "detail": f"application {tr.pk} is already linked to meeting {meeting['id']}",
            "code": "application.conflict",
        },
    )
