"""Every error body matches the schema the API documents (issue 13, found by tests/fuzz):
a refused optimiser scenario answers `errors` as strings ("path: message"), which the
schema declared as objects only."""

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from coalition.api import api
from coalition.audit.models import AuditEvent
from coalition.procurement.models import PlanRun
from tests.helpers import bearer

pytestmark = pytest.mark.django_db


def _documented(path: str, method: str, status: int) -> dict[str, object]:
    schema = api.get_openapi_schema()
    response = schema["paths"][path][method]["responses"][status]
    body = response["content"]["application/json"]["schema"]
    return {**body, "components": schema["components"]}


def test_a_refused_scenario_matches_the_documented_error(demo: object, client: Client) -> None:
    headers = bearer("delegate-gb")
    before = (PlanRun.objects.count(), AuditEvent.objects.count())
    response = client.post(
        "/api/v1/plans", {"scenario": {}}, content_type="application/json", **headers
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "scenario.invalid"
    assert body["errors"] == [
        "funds: is required",
        "offers: is required",
        "requirements: is required",
        "start: is required",
    ]
    jsonschema.validate(body, _documented("/api/v1/plans", "post", 422))
    assert (PlanRun.objects.count(), AuditEvent.objects.count()) == before


def test_a_refused_file_matches_the_documented_error(demo: object, client: Client) -> None:
    headers = bearer("admin")
    response = client.post(
        "/api/v1/coalitions/drone-coalition/pledges",
        {"file": SimpleUploadedFile("p.csv", b"reference,date\nX,2025-01-01\n")},
        **headers,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "file.rejected"
    assert body["errors"][0] == {
        "file": "p.csv",
        "row": 1,
        "column": "donor",
        "message": "missing column",
    }
    jsonschema.validate(body, _documented("/api/v1/coalitions/{slug}/pledges", "post", 422))
