"""API tokens at the door: expired, revoked, read-only, dated at each use; and 401 (not
the CSRF check's 403) for a write without credentials, while a logged-in session without
its CSRF token is still refused 403."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalition.api import api
from coalition.audit.models import AuditEvent
from coalition.governance.errors import InvalidToken
from coalition.governance.models import ApiToken, Meeting
from coalition.governance.services.tokens import token_create, token_revoke
from tests.helpers import TEST, user_actor

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/coalitions/drone-coalition/meetings"
MEETING = {"date": "2025-06-02", "kind": "steering-committee", "place": "Riga"}
REQUIRED = {
    "detail": "Authentication required: a Bearer token or a session.",
    "code": "auth.required",
}
# A few writes of different routers, each allowed to the chair's delegate (delegate-lv).
WRITES = [
    (MEETINGS, MEETING),
    ("/api/v1/coalitions/drone-coalition/applications", {"country": "JP"}),
    ("/api/v1/audit/verify", {}),
]


@pytest.fixture
def client() -> Client:
    """A client that sends no CSRF token and is checked for one, as a script is: Django's
    test client skips the check by default, which hid the 403 for anonymous writes."""
    return Client(enforce_csrf_checks=True)


def _post(client: Client, path: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def _token(username: str = "delegate-lv", **options: Any) -> tuple[str, ApiToken]:
    secret = token_create(actor=TEST, username=username, **options)
    return secret, ApiToken.objects.get(digest=ApiToken.digest_of(secret))


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_an_anonymous_write_gets_401_with_a_bearer_challenge(
    client: Client, path: str, body: dict[str, Any]
) -> None:
    events = AuditEvent.objects.count()
    response = _post(client, path, body)
    assert response.status_code == 401
    assert response.json() == REQUIRED
    assert response["WWW-Authenticate"] == "Bearer"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("token", ["not-a-token", "", "x" * 43])
def test_an_unknown_token_gets_401_auth_required(client: Client, token: str) -> None:
    meetings = Meeting.objects.count()
    response = _post(client, MEETINGS, MEETING, token)
    assert response.status_code == 401
    assert response.json() == REQUIRED
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert Meeting.objects.count() == meetings


def test_another_scheme_than_bearer_is_no_credential(client: Client) -> None:
    response = client.post(
        MEETINGS, json.dumps(MEETING), content_type="application/json", HTTP_AUTHORIZATION="Basic x"
    )
    assert (response.status_code, response.json()) == (401, REQUIRED)


def _write_routes() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in ("post", "put", "patch", "delete"):
                routes.append((method, path))
    return routes


def _concrete(path: str) -> str:
    """A schema path with its parameters filled: the demo's coalition, ids 1."""
    for name in ("slug",):
        path = path.replace("{" + name + "}", "drone-coalition")
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + "1" + path[end + 1 :]
    return path


def test_every_write_route_of_the_schema_answers_401_to_anonymous(client: Client) -> None:
    routes = _write_routes()
    assert len(routes) >= 28  # the schema's writes (28 at the time of writing), not none
    events = AuditEvent.objects.count()
    answers = {}
    for method, path in routes:
        response = client.generic(
            method.upper(), _concrete(path), json.dumps({}), content_type="application/json"
        )
        answers[f"{method} {path}"] = (response.status_code, response.json())
    assert answers == {name: (401, REQUIRED) for name in answers}
    assert AuditEvent.objects.count() == events


def test_every_write_route_answers_401_to_a_bad_token(client: Client) -> None:
    answers = {}
    for method, path in _write_routes():
        response = client.generic(
            method.upper(),
            _concrete(path),
            "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer nope",
        )
        answers[f"{method} {path}"] = response.status_code
    assert set(answers.values()) == {401}


def test_a_logged_in_session_without_the_csrf_token_still_gets_403() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="delegate-lv"))
    meetings = Meeting.objects.count()
    response = _post(client, MEETINGS, MEETING)
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed", "code": "http.403"}
    assert Meeting.objects.count() == meetings


def test_a_logged_in_session_with_the_csrf_token_writes() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="delegate-lv"))
    client.get("/")  # the page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        MEETINGS, json.dumps(MEETING), content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 201, response.content


def test_a_token_write_needs_no_csrf_token() -> None:
    secret, _ = _token()
    response = _post(Client(enforce_csrf_checks=True), MEETINGS, MEETING, secret)
    assert response.status_code == 201, response.content


def test_an_expired_token_gets_401_token_expired(client: Client) -> None:
    secret, token = _token()
    ApiToken.objects.filter(id=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    meetings = Meeting.objects.count()
    response = _post(client, MEETINGS, MEETING, secret)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API token has expired: create a new one.",
        "code": "auth.token_expired",
    }
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert Meeting.objects.count() == meetings
    read = client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert (read.status_code, read.json()["code"]) == (401, "auth.token_expired")


def test_a_token_works_until_its_expiry(client: Client) -> None:
    secret, token = _token()
    assert token.expires is not None
    ApiToken.objects.filter(id=token.pk).update(expires=timezone.now() + timedelta(minutes=5))
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_a_revoked_token_gets_401_token_revoked(client: Client) -> None:
    secret, token = _token()
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    token_revoke(actor=user_actor("delegate-lv"), token_id=token.pk)
    response = client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API token was revoked.",
        "code": "auth.token_revoked",
    }
    meetings = Meeting.objects.count()
    assert _post(client, MEETINGS, MEETING, secret).json()["code"] == "auth.token_revoked"
    assert Meeting.objects.count() == meetings


def test_a_token_of_an_inactive_user_gets_401(client: Client) -> None:
    secret, _ = _token()
    get_user_model().objects.filter(username="delegate-lv").update(is_active=False)
    response = client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert (response.status_code, response.json()) == (401, REQUIRED)


def test_a_read_only_token_reads_and_may_not_write(client: Client) -> None:
    secret, token = _token(read_only=True)
    assert token.scope == "read"
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    meetings, events = Meeting.objects.count(), AuditEvent.objects.count()
    for path, body in WRITES:
        response = _post(client, path, body, secret)
        assert response.status_code == 403, path
        assert response.json() == {
            "detail": "This API token is read-only: writing needs a read-write token.",
            "code": "auth.token_read_only",
        }
    assert (Meeting.objects.count(), AuditEvent.objects.count()) == (meetings, events)


def test_a_read_write_token_writes(client: Client) -> None:
    secret, token = _token()
    assert token.scope == "read-write"
    response = _post(client, MEETINGS, MEETING, secret)
    assert response.status_code == 201, response.content


def _token_updates(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("UPDATE") and "apitoken" in q["sql"].lower()
    ]


def test_last_used_is_written_at_most_once_a_minute(client: Client) -> None:
    secret, token = _token()
    assert token.last_used is None
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    before = timezone.now()
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/plans", **headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None and token.last_used >= before
    assert len(_token_updates(first)) == 1
    used = token.last_used
    with CaptureQueriesContext(connection) as second:
        assert client.get("/api/v1/plans", **headers).status_code == 200
    assert _token_updates(second) == []
    token.refresh_from_db()
    assert token.last_used == used
    # A minute later (set back, not waited for), the next use dates it again.
    ApiToken.objects.filter(id=token.pk).update(last_used=used - timedelta(seconds=61))
    with CaptureQueriesContext(connection) as third:
        assert client.get("/api/v1/plans", **headers).status_code == 200
    assert len(_token_updates(third)) == 1
    token.refresh_from_db()
    assert token.last_used is not None and token.last_used >= before


def test_a_refused_token_is_not_dated(client: Client) -> None:
    secret, token = _token()
    ApiToken.objects.filter(id=token.pk).update(revoked_at=timezone.now())
    client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.refresh_from_db()
    assert token.last_used is None


def test_a_new_token_expires_in_90_days_and_is_audited() -> None:
    before = timezone.now()
    events = AuditEvent.objects.count()
    secret, token = _token(name="ministry script")
    after = timezone.now()
    assert token.expires is not None
    assert before + timedelta(days=90) <= token.expires <= after + timedelta(days=90)
    assert (token.name, token.scope, token.prefix) == ("ministry script", "read-write", secret[:8])
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "token.created"
    assert event.changes == {
        "prefix": secret[:8],
        "name": "ministry script",
        "scope": "read-write",
        "expires": token.expires.isoformat(),
    }


def test_a_token_that_never_expires_only_when_asked() -> None:
    _, token = _token(never_expires=True)
    assert token.expires is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"expires": timezone.now() - timedelta(days=1)}, "the expiry must be in the future"),
        (
            {"expires": timezone.now() + timedelta(days=1), "never_expires": True},
            "give an expiry or ask for none, not both",
        ),
        ({"name": "n" * 101}, "a token's name has at most 100 characters"),
    ],
)
def test_a_bad_token_request_writes_nothing(options: dict[str, Any], message: str) -> None:
    tokens, events = ApiToken.objects.count(), AuditEvent.objects.count()
    with pytest.raises(InvalidToken) as raised:
        token_create(actor=TEST, username="delegate-lv", **options)
    assert (raised.value.message, raised.value.code) == (message, "token.invalid")
    assert (ApiToken.objects.count(), AuditEvent.objects.count()) == (tokens, events)
