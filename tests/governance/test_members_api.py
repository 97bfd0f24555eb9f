"""The coalition reads of CONTRACT.md against the drone coalition demo."""

import pytest
from django.test import Client

from tests.helpers import DEMO_ROLES, api_get

pytestmark = pytest.mark.django_db

ARTICLE_DAY_MEMBERS = {
    "LV",
    "UA",
    "GB",
    "SE",
    "NL",
    "DE",
    "EE",
    "LT",
    "DK",
    "CA",
    "AU",
    "PL",
    "IT",
    "FR",
    "NZ",
    "CZ",
    "LU",
    "NO",
}
APRIL_2024_MEMBERS = {"LV", "UA", "GB", "SE", "NL", "DE", "EE", "LT", "DK", "CA", "AU"}


def test_members_on_the_article_date_are_the_18_of_the_fact_sheet(
    demo: object, client: Client
) -> None:
    status, body = api_get(client, "/coalitions/drone-coalition/members?on=2025-05-28")
    assert status == 200
    assert {m["country"] for m in body} == ARTICLE_DAY_MEMBERS
    assert len(body) == 18


def test_members_on_1_april_2024_are_only_those_who_had_joined(
    demo: object, client: Client
) -> None:
    status, body = api_get(client, "/coalitions/drone-coalition/members?on=2024-04-01")
    assert status == 200
    assert {m["country"] for m in body} == APRIL_2024_MEMBERS


def test_member_rows_carry_roles_and_join_date(demo: object, client: Client) -> None:
    _, body = api_get(client, "/coalitions/drone-coalition/members?on=2025-05-28")
    rows = {m["country"]: m for m in body}
    assert rows["LV"]["roles"] == ["chair", "member"]
    assert rows["GB"]["roles"] == ["fund-manager", "member"]
    assert rows["UA"]["roles"] == ["member", "beneficiary"]
    assert rows["LU"]["since"] == "2024-10-31"
    assert rows["LU"]["source"] == "riga-2024-10"
    assert "TR" not in rows and "BE" not in rows


def test_fund_manager_role_starts_with_the_common_fund(demo: object, client: Client) -> None:
    _, body = api_get(client, "/coalitions/drone-coalition/members?on=2024-03-01")
    assert {m["country"]: m for m in body}["GB"]["roles"] == ["member"]


def test_coalition_detail_names_chair_fund_manager_beneficiary(
    demo: object, client: Client
) -> None:
    status, body = api_get(client, "/coalitions/drone-coalition?on=2025-05-28")
    assert status == 200
    assert (body["chair"], body["fund_manager"], body["beneficiary"]) == ("LV", "GB", "UA")
    assert body["founded"] == "2024-02-14"
    assert len(body["members"]) == 18
    assert body["source"]["key"] == "udcg-loi-2024"


def test_coalition_list(demo: object, client: Client) -> None:
    status, body = api_get(client, "/coalitions")
    assert status == 200
    assert [(c["slug"], c["name"], c["founded"]) for c in body] == [
        ("drone-coalition", "Drone Coalition", "2024-02-14")
    ]


def test_before_the_founders_joined_there_is_no_member(demo: object, client: Client) -> None:
    _, body = api_get(client, "/coalitions/drone-coalition/members?on=2023-11-30")
    assert body == []


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "2025-02-30"])
def test_a_wrong_date_is_a_422_not_a_500(demo: object, client: Client, bad: str) -> None:
    status, body = api_get(client, f"/coalitions/drone-coalition/members?on={bad}")
    assert status == 422
    assert "detail" in body


def test_unknown_coalition_is_a_json_404(db: None, client: Client) -> None:
    status, body = api_get(client, "/coalitions/nope/members")
    assert status == 404
    assert body == {"detail": "no coalition with slug 'nope'", "code": "coalition.not_found"}


def test_applications_need_a_login(demo: object, client: Client) -> None:
    status, body = api_get(client, "/coalitions/drone-coalition/applications")
    assert status == 401
    assert body == {
        "detail": "Authentication required: a Bearer token or a session.",
        "code": "auth.required",
    }


def test_a_wrong_token_is_a_401(demo: object, client: Client) -> None:
    response = client.get(
        "/api/v1/coalitions/drone-coalition/applications", HTTP_AUTHORIZATION="Bearer nope"
    )
    assert response.status_code == 401


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_every_role_reads_applications_with_a_token(
    demo: object, client: Client, username: str
) -> None:
    status, body = api_get(client, "/coalitions/drone-coalition/applications", username)
    assert status == 200
    assert sorted((a["country"], a["status"], a["submitted"]) for a in body) == [
        ("BE", "pending", "2025-05-28"),
        ("TR", "pending", "2025-05-28"),
    ]


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_public_reads_are_public_for_every_role(
    demo: object, client: Client, username: str
) -> None:
    for path in [
        "/coalitions",
        "/coalitions/drone-coalition",
        "/coalitions/drone-coalition/members",
    ]:
        assert api_get(client, path, username)[0] == 200
        assert api_get(client, path)[0] == 200


def test_session_login_reads_applications(demo: object, client: Client) -> None:
    assert client.login(username="delegate-lv", password="demo")
    response = client.get("/api/v1/coalitions/drone-coalition/applications")
    assert response.status_code == 200


def test_application_detail_has_the_frozen_electorate(demo: object, client: Client) -> None:
    _, apps = api_get(client, "/coalitions/drone-coalition/applications", "auditor")
    tr = next(a for a in apps if a["country"] == "TR")
    status, body = api_get(
        client, f"/coalitions/drone-coalition/applications/{tr['id']}", "auditor"
    )
    assert status == 200
    assert set(body["electorate"]) == ARTICLE_DAY_MEMBERS
    assert body["votes"] == []
