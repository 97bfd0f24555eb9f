"""/api/v1/tokens: one's own tokens listed, created (the secret in the answer, once) and
revoked; others' tokens not found; bad input refused with nothing written."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from coalition.audit.models import AuditEvent
from coalition.governance.models import ApiToken
from coalition.governance.services.tokens import token_create
from tests.helpers import TEST

pytestmark = pytest.mark.django_db


def _auth(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client: Client, path: str, body: dict[str, Any], secret: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", **_auth(secret))


def test_the_list_holds_only_ones_own_tokens(client: Client) -> None:
    mine = token_create(actor=TEST, username="delegate-de", name="mine")
    token_create(actor=TEST, username="delegate-lv", name="theirs")
    response = client.get("/api/v1/tokens", **_auth(mine))
    assert response.status_code == 200
    rows = response.json()
    stored = ApiToken.objects.get(digest=ApiToken.digest_of(mine))
    assert [r["id"] for r in rows] == [stored.pk]
    row = rows[0]
    assert {k: row[k] for k in ("prefix", "name", "scope", "status")} == {
        "prefix": mine[:8],
        "name": "mine",
        "scope": "read-write",
        "status": "active",
    }
    assert row["last_used"] is not None  # this very request
    assert "token" not in row and "digest" not in row


def test_creating_a_token_answers_its_secret_once(client: Client) -> None:
    mine = token_create(actor=TEST, username="delegate-de")
    events = AuditEvent.objects.count()
    before = timezone.now()
    body = {"name": "ci", "read_only": True, "expires_in_days": 10}
    response = _post(client, "/api/v1/tokens", body, mine)
    assert response.status_code == 201, response.content
    out = response.json()
    secret = out["token"]
    stored = ApiToken.objects.get(digest=ApiToken.digest_of(secret))
    assert (out["id"], out["prefix"], out["name"], out["scope"], out["status"]) == (
        stored.pk,
        secret[:8],
        "ci",
        "read",
        "active",
    )
    assert stored.user.get_username() == "delegate-de"
    assert stored.expires is not None
    assert before + timedelta(days=10) <= stored.expires <= timezone.now() + timedelta(days=10)
    assert AuditEvent.objects.count() == events + 1
    assert client.get("/api/v1/tokens", **_auth(secret)).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"expires_in_days": 0},
        {"expires_in_days": 3651},
        {"name": "n" * 101},
        {"read_only": "maybe"},
    ],
)
def test_bad_input_is_422_and_writes_nothing(client: Client, body: dict[str, Any]) -> None:
    mine = token_create(actor=TEST, username="delegate-de")
    tokens, events = ApiToken.objects.count(), AuditEvent.objects.count()
    response = _post(client, "/api/v1/tokens", body, mine)
    assert (response.status_code, response.json()["code"]) == (422, "request.invalid")
    assert (ApiToken.objects.count(), AuditEvent.objects.count()) == (tokens, events)


def test_revoking_ones_own_token(client: Client) -> None:
    mine = token_create(actor=TEST, username="delegate-de")
    other = token_create(actor=TEST, username="delegate-de", name="old")
    old = ApiToken.objects.get(digest=ApiToken.digest_of(other))
    response = _post(client, f"/api/v1/tokens/{old.pk}/revoke", {}, mine)
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["status"]) == (old.pk, "revoked")
    refused = client.get("/api/v1/tokens", **_auth(other))
    assert (refused.status_code, refused.json()["code"]) == (401, "auth.token_revoked")
    again = _post(client, f"/api/v1/tokens/{old.pk}/revoke", {}, mine)
    assert (again.status_code, again.json()["code"]) == (409, "token.already_revoked")


def test_someone_elses_token_is_not_found(client: Client) -> None:
    mine = token_create(actor=TEST, username="delegate-de")
    theirs = token_create(actor=TEST, username="delegate-lv")
    target = ApiToken.objects.get(digest=ApiToken.digest_of(theirs))
    events = AuditEvent.objects.count()
    response = _post(client, f"/api/v1/tokens/{target.pk}/revoke", {}, mine)
    assert response.status_code == 404
    assert response.json() == {"detail": "no such token", "code": "token.not_found"}
    target.refresh_from_db()
    assert target.revoked_at is None and AuditEvent.objects.count() == events
    missing = _post(client, "/api/v1/tokens/999999999/revoke", {}, mine)
    assert missing.json() == response.json()  # the same answer: existence is not told


def test_anonymous_gets_401(client: Client) -> None:
    assert client.get("/api/v1/tokens").status_code == 401
    response = client.post("/api/v1/tokens", "{}", content_type="application/json")
    assert response.status_code == 401
