"""The access matrix through the real routes: every API operation and every page, as every
role, answers what the access policy says; docs/access.md is the same matrix; a GET
writes nothing; a route without a row fails."""

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from coalition.access.actor import ANONYMOUS, Actor
from coalition.access.matrix import ROLES, ROUTES, Route, expected, pledge, render
from coalition.access.matrix_purchase import PURCHASE_API_ROUTES, PURCHASE_PAGE_ROUTES
from coalition.audit.models import AuditEvent
from coalition.finance.models import Fund
from coalition.governance.models import ApiToken, Application, Coalition, Country, Meeting
from coalition.governance.services.tokens import token_create
from coalition.governance.services.users import delegate_create
from coalition.optimizer import spec
from coalition.optimizer.baseline import baseline_plan
from coalition.optimizer.parse import parse_scenario
from coalition.procurement.models import PlanRun
from tests.helpers import TEST, bearer
from tests.procurement.purchase import matrix_samples

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[1] / "docs" / "access.md"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
CREDENTIALS = re.compile(r"django_session|governance_apitoken")


@pytest.fixture
def samples(demo: Coalition) -> dict[str, Any]:
    delegate_create(
        actor=TEST,
        username="delegate-jp",
        password="demo",
        kind="delegate",
        country=Country.objects.get(code="JP"),
    )
    scenario = json.loads(spec.path(spec.EXAMPLE_SCENARIO).read_text())
    plan = baseline_plan(parse_scenario(scenario)).to_json()  # a plan, quickly
    run = PlanRun.objects.create(
        coalition=demo, scenario=scenario, time_limit=5, status="done", plan=plan
    )
    application = Application.objects.get(coalition=demo, country="TR", status="pending")
    lv_token = token_create(actor=TEST, username="delegate-lv", name="matrix sample")
    return {
        "slug": demo.slug,
        "coalition": demo,
        "application": application,
        "application_id": application.pk,
        "meeting_id": Meeting.objects.filter(coalition=demo).first().pk,  # type: ignore[union-attr]
        "fund_id": Fund.objects.filter(coalition=demo).order_by("id").first().pk,  # type: ignore[union-attr]
        "reference": "LV-2025-drones",
        "run_id": run.pk,
        "scenario": scenario,
        "scenario_text": json.dumps(scenario),
        "programme_holder": "LV",  # what the purchase rows ask the policy (matrix_samples)
        "token_id": ApiToken.objects.get(digest=ApiToken.digest_of(lv_token)).pk,
    }


def _actor(role: str) -> Actor:
    if role == "anonymous":
        return ANONYMOUS
    return Actor.of(get_user_model().objects.get(username=role))


def _log_in(client: Client, route: Route, role: str) -> dict[str, str]:
    """Log `role` in as its client would: a Bearer token for the API, a session else."""
    if role == "anonymous":
        return {}
    if route.surface == "api":
        return bearer(role)
    client.force_login(get_user_model().objects.get(username=role))
    return {}


def _send(
    client: Client, route: Route, role: str, headers: dict[str, str], samples: dict[str, Any]
) -> Any:
    url = route.url(samples)
    if route.method == "GET":
        return client.get(url, **headers)
    actor = _actor(role)
    if route.upload:
        upload = _file(actor)
        if "file" in route.extra:
            name, text = route.extra["file"]
            upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
        return client.post(url, {"file": upload}, **headers)
    body = route.body(samples, actor) if route.body else {}
    if route.surface == "api":
        return client.post(url, json.dumps(body), content_type="application/json", **headers)
    return client.post(url, body, **headers)


def _file(actor: Actor) -> SimpleUploadedFile:
    row = pledge({}, actor)
    columns = ["reference", "date", "donor", "channel", "status", "amount", "currency"]
    text = ",".join(columns) + "\n" + ",".join(str(row[c]) for c in columns) + "\n"
    return SimpleUploadedFile("pledges.csv", text.encode(), content_type="text/csv")


def _outcome(route: Route, response: Any) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status == 302 and location.startswith("/login/"):
        return "login"
    if status == 302 and location.startswith("/admin/login/"):
        return "302"
    if route.name == "api-v1:api-root" and status == 404:
        return "ok"  # ninja's root answers 404 to everyone: there is no page there
    if 200 <= status < 300 or (route.surface == "page" and status == 302):
        return "ok"
    return str(status)


def _answers(client: Client, route: Route, samples: dict[str, Any]) -> dict[str, str]:
    """Each role's outcome; each request in a savepoint rolled back after it."""
    answers = {}
    for role in ROLES:
        client.logout()
        with transaction.atomic():
            headers = _log_in(client, route, role)
            events = AuditEvent.objects.count()
            with CaptureQueriesContext(connection) as queries:
                response = _send(client, route, role, headers, samples)
            if route.method == "GET":
                # The session's and the API token's dates of use are metadata about
                # the credential, not the domain: a GET may write those, nothing else.
                writes = [
                    q["sql"]
                    for q in queries.captured_queries
                    if WRITES.match(q["sql"]) and not CREDENTIALS.search(q["sql"])
                ]
                assert writes == [], f"GET {route.path} as {role} wrote: {writes[:2]}"
                assert AuditEvent.objects.count() == events
            answers[role] = _outcome(route, response)
            transaction.set_rollback(True)
    return answers


PURCHASES = PURCHASE_API_ROUTES + PURCHASE_PAGE_ROUTES
OTHERS = [r for r in ROUTES if r not in PURCHASES]


@pytest.mark.parametrize("index", range(len(OTHERS)), ids=[f"{r.method} {r.path}" for r in OTHERS])
def test_every_role_gets_what_the_policy_says(
    client: Client, samples: dict[str, Any], index: int
) -> None:
    route = OTHERS[index]
    wanted = {role: expected(route, _actor(role), samples) for role in ROLES}
    assert _answers(client, route, samples) == wanted


def test_every_role_gets_what_the_policy_says_on_purchases(
    client: Client, samples: dict[str, Any]
) -> None:
    """One purchase set up once (matrix_samples), then every purchase route as every role,
    each request rolled back."""
    samples |= matrix_samples(samples["coalition"])
    wanted, got = {}, {}
    for route in PURCHASES:
        name = f"{route.method} {route.path}"
        wanted[name] = {role: expected(route, _actor(role), samples) for role in ROLES}
        got[name] = _answers(client, route, samples)
    assert got == wanted


def test_docs_access_md_is_the_policy(samples: dict[str, Any]) -> None:
    cells = {
        (index, role): expected(route, _actor(role), samples)
        for index, route in enumerate(ROUTES)
        for role in ROLES
    }
    text = render(cells)
    if os.environ.get("COALITION_WRITE_DOCS"):
        DOCS.write_text(text)
    assert DOCS.read_text() == text, "run COALITION_WRITE_DOCS=1 pytest tests/test_access_matrix.py"


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner == "admin":
                names.add("admin:index")  # the back office is one page of the matrix
                continue
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_route_has_a_row() -> None:
    """Every named URL (each API operation has its own name) is a row of the matrix."""
    assert _url_names(get_resolver().url_patterns) - {r.name for r in ROUTES} == set()


def test_the_matrix_covers_the_demo_roles_and_a_non_member() -> None:
    assert set(ROLES) >= {"anonymous", "admin", "auditor", "beneficiary-ua", "delegate-jp"}
