"""POST /api/v1/plans and the planning pages, on the worked example of spec/."""

import json
from pathlib import Path

import pytest
from django.test import Client

from coalition.audit.models import AuditEvent
from coalition.procurement.models import PlanRun
from tests.helpers import api_get, api_post, bearer

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads(
    (
        Path(__file__).parents[2]
        / "src/coalition/optimizer/spec/examples/drone-coalition-2025.scenario.json"
    ).read_text()
)


def test_the_worked_example_through_the_api(demo: object, client: Client) -> None:
    headers = bearer("delegate-gb")
    response = client.post(
        "/api/v1/plans",
        data={"scenario": EXAMPLE, "time_limit": 60},
        content_type="application/json",
        **headers,
    )
    body = response.json()
    assert response.status_code == 202  # queued; the worker solves (at once in tests)
    assert response["Location"] == body["url"] == f"/api/v1/plans/{body['id']}"
    assert body["coalition"] == "drone-coalition"
    status, body = api_get(client, f"/plans/{body['id']}", "delegate-gb")
    assert (status, body["status"]) == (200, "done")
    plan = body["plan"]
    assert (plan["value"], plan["cost"]) == (4350, "2497500.00")
    assert (plan["separate"]["value"], plan["separate"]["cost"]) == (4170, "2484000.00")
    assert body["baseline"]["value"] <= plan["value"]
    status, again = api_get(client, f"/plans/{body['id']}", "auditor")
    assert status == 200 and again["plan"] == plan


def test_the_run_leaves_its_audit_trail(demo: object, client: Client) -> None:
    api_post(client, "/plans", {"scenario": EXAMPLE, "compare_separate": False}, "delegate-lv")
    actions = list(
        AuditEvent.objects.filter(object_type="plan_run").values_list("action", flat=True)
    )
    assert actions == ["plan.submitted", "plan.started", "plan.finished"]


def test_an_invalid_scenario_is_a_422_naming_the_json_path_and_stores_nothing(
    demo: object, client: Client
) -> None:
    bad = json.loads(json.dumps(EXAMPLE))
    bad["requirements"][1]["quantity"] = 0
    headers = bearer("delegate-gb")
    before = AuditEvent.objects.count()
    response = client.post(
        "/api/v1/plans", data={"scenario": bad}, content_type="application/json", **headers
    )
    status, body = response.status_code, response.json()
    assert status == 422
    assert "requirements[1].quantity: must be at least 1" in body["errors"]
    assert PlanRun.objects.count() == 0 and AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("body", "where"),
    [({"scenario": EXAMPLE, "time_limit": 0}, "time_limit"), ({"time_limit": 3}, "scenario")],
)
def test_a_bad_request_body_is_a_422(demo: object, client: Client, body: dict, where: str) -> None:
    status, answer = api_post(client, "/plans", body, "delegate-gb")
    assert status == 422
    assert where in json.dumps(answer["detail"])


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (None, 401),
        ("auditor", 403),
        ("admin", 202),
        ("beneficiary-ua", 202),
        ("delegate-lv", 202),
        ("delegate-gb", 202),
        ("delegate-tr", 403),  # a candidate: not a member of the coalition yet
    ],
)
def test_who_may_run_a_plan(
    demo: object, client: Client, username: str | None, expected: int
) -> None:
    status, _ = api_post(
        client, "/plans", {"scenario": EXAMPLE, "compare_separate": False}, username
    )
    assert status == expected


@pytest.mark.parametrize(
    "username", ["auditor", "admin", "beneficiary-ua", "delegate-lv", "delegate-gb"]
)
def test_the_coalitions_members_auditors_and_admins_read_its_plans(
    demo: object, client: Client, username: str
) -> None:
    _, run = api_post(client, "/plans", {"scenario": EXAMPLE, "compare_separate": False}, "admin")
    status, runs = api_get(client, "/plans", username)
    assert status == 200 and [r["id"] for r in runs] == [run["id"]]
    assert api_get(client, f"/plans/{run['id']}", username)[0] == 200


def test_a_plan_run_does_not_exist_for_a_non_member(demo: object, client: Client) -> None:
    _, run = api_post(client, "/plans", {"scenario": EXAMPLE, "compare_separate": False}, "admin")
    assert api_get(client, "/plans", "delegate-tr") == (200, [])
    assert api_get(client, f"/plans/{run['id']}", "delegate-tr") == (
        404,
        {"detail": "no plan run " + str(run["id"]), "code": "plan.not_found"},
    )


def test_anonymous_reads_no_plan(demo: object, client: Client) -> None:
    assert api_get(client, "/plans")[0] == 401
    assert api_get(client, "/plans/1")[0] == 401


def test_an_unknown_run_is_a_404(demo: object, client: Client) -> None:
    assert api_get(client, "/plans/999", "auditor") == (
        404,
        {"detail": "no plan run 999", "code": "plan.not_found"},
    )


def test_the_planning_pages_show_the_plan_and_its_charts(demo: object, client: Client) -> None:
    client.login(username="delegate-gb", password="demo")
    response = client.post(
        "/plans/", {"scenario": json.dumps(EXAMPLE), "time_limit": "30", "compare_separate": "1"}
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="value">4,350' in html
    assert "€\xa02,497,500.00" in html and "2497500.00" not in html
    assert 'data-testid="pooling-gain">+180' in html
    assert html.count('class="panel chart"') == 4


def test_the_planning_page_lists_scenario_errors(demo: object, client: Client) -> None:
    client.login(username="delegate-gb", password="demo")
    response = client.post("/plans/", {"scenario": '{"start": "2025-01-01"', "time_limit": "5"})
    assert response.status_code == 422
    assert "invalid JSON at line 1" in response.content.decode()
    response = client.post("/plans/", {"scenario": '{"start": "2025-01-01"}', "time_limit": "5"})
    assert (
        "requirements: is required" in response.content.decode()
        or "requirements" in response.content.decode()
    )
    assert PlanRun.objects.count() == 0


def test_the_auditor_cannot_post_a_plan_in_the_ui(demo: object, client: Client) -> None:
    client.login(username="auditor", password="demo")
    assert client.post("/plans/", {"scenario": json.dumps(EXAMPLE)}).status_code == 403


def test_pages_need_a_login(demo: object, client: Client) -> None:
    assert client.get("/plans/").status_code == 302


def test_bearer_helper_is_not_a_session(demo: object, client: Client) -> None:
    assert client.get("/plans/", **bearer("auditor")).status_code == 302
