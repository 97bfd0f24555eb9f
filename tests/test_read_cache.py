"""The API's read cache (coalition.api_cache): ETag and 304, a write seen by the next read,
one body per audience and language, one query for a cached read, and lean bodies that are
exactly what the declared response schema gives."""

import json
from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pydantic import TypeAdapter

from coalition.finance.schemas import FundOut
from coalition.governance.models import Category, Coalition, Country
from coalition.governance.schemas import CategoryOut, CoalitionDetailOut, CoalitionOut, MemberOut
from coalition.governance.services.categories import category_save
from coalition.governance.services.coalitions import membership_start
from coalition.reporting.schemas import TotalsOut
from tests.helpers import TEST, bearer

pytestmark = pytest.mark.django_db

API = "/api/v1"
SLUG = f"{API}/coalitions/drone-coalition"
MEMBERS = f"{SLUG}/members?on=2025-05-28"

# Each lean route beside the schema it declares in the OpenAPI document.
SCHEMAS: list[tuple[str, Any]] = [
    (MEMBERS, list[MemberOut]),
    (f"{SLUG}?on=2025-05-28", CoalitionDetailOut),
    (f"{API}/coalitions", list[CoalitionOut]),
    (f"{API}/categories", list[CategoryOut]),
    (f"{SLUG}/totals?year=2025", TotalsOut),
    (f"{SLUG}/totals?year=2024", TotalsOut),
]


def _get(client: Client, path: str, **headers: str) -> Any:
    return client.get(path, **headers)


def _as_schema_gives(schema: Any, body: Any) -> Any:
    """What ninja's validated response would have been: validated and dumped as JSON."""
    adapter = TypeAdapter(schema)
    return json.loads(adapter.dump_json(adapter.validate_python(body)))


@pytest.mark.parametrize(("path", "schema"), SCHEMAS)
def test_lean_bodies_are_what_the_declared_schema_gives(
    demo: object, client: Client, path: str, schema: Any
) -> None:
    response = _get(client, path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body == _as_schema_gives(schema, body)
    assert list(json.dumps(body)) == list(json.dumps(_as_schema_gives(schema, body)))


def test_fund_list_is_what_its_schema_gives(demo: object, client: Client) -> None:
    response = _get(client, f"{SLUG}/funds", **bearer("delegate-gb"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body and body == _as_schema_gives(list[FundOut], body)
    assert json.dumps(body) == json.dumps(_as_schema_gives(list[FundOut], body))


def test_members_carry_an_etag_and_if_none_match_gets_304(demo: object, client: Client) -> None:
    first = _get(client, MEMBERS)
    etag = first["ETag"]
    assert first.status_code == 200 and len(first.json()) == 18
    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 34
    assert first["Cache-Control"] == "no-cache"

    again = _get(client, MEMBERS, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    weak = _get(client, MEMBERS, HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    assert weak.status_code == 304

    other = _get(client, MEMBERS, HTTP_IF_NONE_MATCH='"not-this-one"')
    assert other.status_code == 200
    assert other.content == first.content and other["ETag"] == etag


def test_a_write_changes_the_next_read(demo: object, client: Client) -> None:
    coalition = Coalition.objects.get(slug="drone-coalition")
    before = _get(client, MEMBERS)
    assert "TR" not in {m["country"] for m in before.json()}
    assert _get(client, MEMBERS).content == before.content  # now from the cache

    membership_start(
        actor=TEST,
        coalition=coalition,
        country=Country.objects.get(code="TR"),
        role="member",
        start=date(2025, 5, 1),
    )
    after = _get(client, MEMBERS)
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    rows = {m["country"]: m for m in after.json()}
    assert len(rows) == 19
    assert rows["TR"]["since"] == "2025-05-01" and rows["TR"]["roles"] == ["member", "candidate"]
    stale = _get(client, MEMBERS, HTTP_IF_NONE_MATCH=before["ETag"])
    assert stale.status_code == 200 and stale.content == after.content


def test_a_write_elsewhere_keeps_the_etag_of_an_unchanged_body(
    demo: object, client: Client
) -> None:
    before = _get(client, MEMBERS)
    categories = _get(client, f"{API}/categories")
    category_save(
        actor=TEST,
        category=Category(slug="bench-new", name_en="New", name_fr="Nouveau", name_uk="Нове"),
    )
    assert _get(client, MEMBERS, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    changed = _get(client, f"{API}/categories", HTTP_IF_NONE_MATCH=categories["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != categories["ETag"]
    slugs = [c["slug"] for c in changed.json()]
    assert sorted(slugs) == sorted([c["slug"] for c in categories.json()] + ["bench-new"])


def test_today_is_part_of_the_key(demo: object, client: Client) -> None:
    path = f"{SLUG}/members"
    with mock.patch("django.utils.timezone.localdate", return_value=date(2024, 4, 1)):
        april = _get(client, path).json()
    with mock.patch("django.utils.timezone.localdate", return_value=date(2025, 5, 28)):
        may = _get(client, path).json()
    assert len(april) == 11 and len(may) == 18


def test_each_user_gets_its_own_fund_list(demo: object, client: Client) -> None:
    """Each user's cached body is the one computed for that user, whatever the order."""
    users = ["delegate-lv", "delegate-gb", "auditor", "delegate-tr"]
    headers = {u: bearer(u) for u in users}  # creating tokens writes: before any read
    path = f"{SLUG}/funds"
    first = {u: _get(client, path, **headers[u]) for u in users}
    again = {u: _get(client, path, **headers[u]) for u in reversed(users)}
    for u in users:
        assert again[u].status_code == first[u].status_code
        assert again[u].content == first[u].content
    assert first["delegate-tr"].status_code == 403  # a candidate sees no funds
    assert first["delegate-tr"].json()["code"] == "ledger.view.forbidden"
    assert _get(client, path).status_code == 401
    bodies = {u: first[u].content for u in users[:3]}
    assert first["delegate-lv"]["Cache-Control"] == "private, no-cache"
    from django.core.cache import cache

    cache.clear()
    for u in users[:3]:
        assert _get(client, path, **headers[u]).content == bodies[u]


@pytest.mark.parametrize("language", ["fr", "uk"])
def test_each_language_gets_its_own_body(demo: object, client: Client, language: str) -> None:
    english = _get(client, MEMBERS, HTTP_ACCEPT_LANGUAGE="en").content
    other = _get(client, MEMBERS, HTTP_ACCEPT_LANGUAGE=language).content
    from django.core.cache import cache

    cache.clear()
    assert _get(client, MEMBERS, HTTP_ACCEPT_LANGUAGE=language).content == other
    assert _get(client, MEMBERS, HTTP_ACCEPT_LANGUAGE="en").content == english


@pytest.mark.parametrize(
    "path",
    [MEMBERS, f"{SLUG}?on=2025-05-28", f"{API}/coalitions", f"{API}/categories", f"{SLUG}/totals"],
)
def test_a_cached_public_read_costs_one_query(demo: object, client: Client, path: str) -> None:
    built = _get(client, path)
    with CaptureQueriesContext(connection) as queries:
        cached = _get(client, path)
    assert cached.content == built.content
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "audit_audithead" in queries[0]["sql"]


def test_an_error_is_not_cached(demo: object, client: Client) -> None:
    missing = _get(client, f"{API}/coalitions/no-such/members")
    assert missing.status_code == 404
    assert missing.json()["code"] == "coalition.not_found"
    bad = _get(client, f"{SLUG}/members?on=not-a-date")
    assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"
    assert "ETag" not in missing and "ETag" not in bad
