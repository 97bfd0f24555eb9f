"""Attack report, defect 6: bad input gave a 5xx (a 100,000-character meeting title, JSON
"\\ud800", NUL bytes on PostgreSQL, a letter reference over 200 characters, a 30-digit
account id) or was stored unchecked on SQLite; API errors were HTML. Now every such
request is a 4xx with a JSON body naming the field, on both databases, and nothing is
written."""

import json

import pytest
from django.test import Client

from coalition.audit.models import AuditEvent
from coalition.governance.models import Application, Coalition, Meeting, Vote
from tests.helpers import bearer

pytestmark = pytest.mark.django_db

BASE = "/api/v1/coalitions/drone-coalition"
NUL = "before\x00after"


def _post(client: Client, path: str, body: object, headers: dict[str, str]) -> tuple[int, dict]:
    raw = body if isinstance(body, str) else json.dumps(body)
    response = client.post(f"{BASE}{path}", raw, content_type="application/json", **headers)
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def _written() -> tuple[int, int, int, int]:
    return (
        Meeting.objects.count(),
        Application.objects.count(),
        Vote.objects.count(),
        AuditEvent.objects.count(),
    )


MEETING = {"date": "2025-06-02", "kind": "summit"}
PLEDGE = {
    "reference": "R",
    "date": "2025-03-03",
    "donor": "DE",
    "channel": "national",
    "status": "pledged",
    "amount": "1",
    "currency": "EUR",
}
VOTES = "/applications/{tr}/votes"
LETTER = "L" * 201
JP = {"country": "JP"}


@pytest.mark.parametrize(
    ("user", "path", "body", "field"),
    [
        ("delegate-lv", "/meetings", {**MEETING, "title": "x" * 100_000}, "title"),
        ("delegate-lv", "/meetings", {**MEETING, "title": NUL}, "title"),
        ("delegate-lv", "/applications", {**JP, "letter_reference": LETTER}, "letter_reference"),
        ("delegate-lv", "/applications", {**JP, "note": NUL}, "note"),
        ("delegate-gb", VOTES, {"vote": "approve", "comment": NUL}, "comment"),
        ("delegate-gb", VOTES, '{"vote": "approve", "comment": "\\ud800"}', "comment"),
        ("admin", "/contributions", {**PLEDGE, "reference": NUL}, "reference"),
        ("admin", "/contributions", {**PLEDGE, "note": NUL}, "note"),
    ],
)  # fmt: skip
def test_bad_text_is_a_422_naming_the_field_and_nothing_is_written(
    demo: Coalition, client: Client, user: str, path: str, body: object, field: str
) -> None:
    tr = Application.objects.get(country="TR", status="pending").pk
    headers = bearer(user)
    before = _written()
    status, answer = _post(client, path.format(tr=tr), body, headers)
    assert status == 422
    assert answer["code"] == "request.invalid"
    assert answer["detail"][0]["loc"][-1] == field
    assert _written() == before


def test_a_30_digit_account_id_is_a_422(demo: Coalition, client: Client) -> None:
    response = client.get(
        f"{BASE}/funds/1/ledger?account=112698448875670424048759734272", **bearer("auditor")
    )
    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"


def test_the_services_refuse_what_the_edge_let_through(demo: Coalition) -> None:
    """The same checks hold below the API, on both databases (the CLI, the web forms)."""
    from coalition.errors import InvalidInput
    from coalition.governance.services.meetings import meeting_record
    from tests.helpers import user_actor

    for title, message in [
        ("x" * 301, "title is longer than 300 characters"),
        (NUL, "title contains a NUL character"),
        ("\ud800", "title contains an invalid character (a lone surrogate)"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            meeting_record(
                actor=user_actor("delegate-lv"),
                coalition=demo,
                date=Meeting.objects.first().date,  # type: ignore[union-attr]
                kind="summit",
                title=title,
            )
        assert (refused.value.message, refused.value.field) == (message, "title")


def test_a_web_form_with_a_nul_byte_is_refused_not_a_500(demo: Coalition, client: Client) -> None:
    client.login(username="delegate-lv", password="demo")
    before = _written()
    response = client.post(
        "/coalitions/drone-coalition/meetings/",
        {"date": "2025-06-02", "kind": "summit", "title": NUL},
    )
    assert response.status_code < 500
    assert _written() == before


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/nothing-here", 404),
        ("delete", "/api/v1/coalitions", 405),
        ("get", "/api/v1/coalitions/nope", 404),
    ],
)
def test_every_api_error_is_json(client: Client, method: str, path: str, status: int) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) >= {"detail", "code"}


def test_a_request_body_over_the_limit_is_a_413_before_it_is_read(
    client: Client, settings: object
) -> None:
    settings.REQUEST_MAX_BYTES = 1000  # type: ignore[attr-defined]
    response = client.post(f"{BASE}/pledges", "x" * 2000, content_type="text/csv")
    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"


def test_an_unexpected_error_is_a_json_500(
    demo: Coalition, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coalition.governance import selectors

    def broken(**_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "members_on", broken)
    response = client.get(f"{BASE}/members")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "An unexpected error; it has been logged.",
        "code": "server.error",
    }
