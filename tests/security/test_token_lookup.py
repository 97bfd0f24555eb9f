"""The token lookup in plain SQL gives what the ORM would: every field of the token and of
its user, converted the same way on SQLite and PostgreSQL, in one query; and it caches
nothing, so a revoke or a deactivation counts on the very next request."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalition.api_cache import data_version
from coalition.governance.models import ApiToken
from coalition.governance.services.tokens import token_create, token_revoke
from coalition.governance.token_lookup import token_by_digest
from tests.helpers import TEST

pytestmark = pytest.mark.django_db

FUNDS = "/api/v1/coalitions/drone-coalition/funds"


def _fields(instance: object) -> dict[str, object]:
    model = type(instance)
    return {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}  # type: ignore[attr-defined]


def test_the_lookup_gives_the_instances_the_orm_gives() -> None:
    secret = token_create(actor=TEST, username="delegate-lv", name="nightly", read_only=True)
    digest = ApiToken.digest_of(secret)
    ApiToken.objects.filter(digest=digest).update(last_used=timezone.now())
    expected = ApiToken.objects.select_related("user").get(digest=digest)
    with CaptureQueriesContext(connection) as queries:
        found = token_by_digest(digest)
    assert found is not None
    assert len(queries) == 1
    assert _fields(found) == _fields(expected)
    assert _fields(found.user) == _fields(expected.user)
    assert found.read_only is True
    assert isinstance(found.user.is_active, bool)
    assert found.expires is not None and found.expires.tzinfo is not None
    assert abs(found.expires - found.created - timedelta(days=90)) < timedelta(seconds=1)
    assert found.data_version == data_version()  # read in the same query


def test_an_unknown_digest_gives_none() -> None:
    assert token_by_digest(ApiToken.digest_of("nobody's token")) is None


def test_a_revoke_and_a_deactivation_count_on_the_next_request() -> None:
    client = Client()
    secret = token_create(actor=TEST, username="delegate-lv")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(FUNDS, **headers).status_code == 200
    found = ApiToken.objects.get(digest=ApiToken.digest_of(secret))
    token_revoke(actor=TEST, token_id=found.pk)
    assert client.get(FUNDS, **headers).json()["code"] == "auth.token_revoked"

    other = token_create(actor=TEST, username="delegate-lv")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {other}"}
    assert client.get(FUNDS, **headers).status_code == 200
    get_user_model().objects.filter(username="delegate-lv").update(is_active=False)
    assert client.get(FUNDS, **headers).status_code == 401


def test_a_cached_read_with_a_token_costs_one_query() -> None:
    """The token, its user and the data's version in one round trip: on PostgreSQL a second
    one cost half the floor (bench/api.py)."""
    client = Client()
    secret = token_create(actor=TEST, username="delegate-lv")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    first = client.get(FUNDS, **headers)  # builds the body and dates the token's use
    with CaptureQueriesContext(connection) as queries:
        again = client.get(FUNDS, **headers)
    assert again.status_code == 200 and again.content == first.content
    assert len(queries) == 1, [q["sql"] for q in queries]
