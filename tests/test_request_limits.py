"""Request size limits, each with a clear answer and a code (issue 13, found by
tests/fuzz): a JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE and a multipart upload with
more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS were 500 "server.error" from the API, and
Django's bare "Bad Request (400)" page on the web forms. Now each is a 413 with a code, as
JSON under /api/ and as a page elsewhere, and nothing is written."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings

from coalition.audit.models import AuditEvent
from coalition.finance.models import Contribution
from coalition.governance.models import Coalition, Meeting
from tests.helpers import bearer

pytestmark = pytest.mark.django_db

BASE = "/api/v1/coalitions/drone-coalition"
IMPORT_PAGE = "/coalitions/drone-coalition/finance/import/"
PLEDGES = (
    b"reference,date,donor,channel,status,amount,currency\n"
    b"LIM-1,2025-03-03,DE,national,pledged,1000,EUR\n"
)


def _written() -> tuple[int, int, int]:
    return Meeting.objects.count(), Contribution.objects.count(), AuditEvent.objects.count()


def test_a_json_body_over_the_memory_limit_is_a_413_not_a_500(
    demo: Coalition, client: Client, settings: Settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    headers = bearer("delegate-lv")  # a token is written: before counting
    before = _written()
    body = json.dumps({"date": "2025-06-02", "kind": "summit", "title": "x" * 2000})
    response = client.post(f"{BASE}/meetings", body, content_type="application/json", **headers)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "the request body is larger than 1,000 bytes outside its files "
        "(the limit is DATA_UPLOAD_MAX_MEMORY_SIZE)",
        "code": "request.too_large",
    }
    assert _written() == before


def _upload(extra_fields: int, extra_files: int) -> dict[str, object]:
    body: dict[str, object] = {f"f{i}": "1" for i in range(extra_fields)}
    for i in range(extra_files):
        body[f"file{i}"] = SimpleUploadedFile(f"p{i}.csv", PLEDGES, content_type="text/csv")
    body["file"] = SimpleUploadedFile("pledges.csv", PLEDGES, content_type="text/csv")
    return body


@pytest.mark.parametrize(
    ("setting", "fields", "files", "detail", "code"),
    [
        ("DATA_UPLOAD_MAX_NUMBER_FIELDS", 11, 0, "more than 10 fields", "request.too_many_fields"),
        ("DATA_UPLOAD_MAX_NUMBER_FILES", 0, 10, "more than 10 files", "request.too_many_files"),
    ],
)
def test_an_upload_with_too_many_parts_is_a_413_from_the_api(
    demo: Coalition,
    client: Client,
    settings: Settings,
    setting: str,
    fields: int,
    files: int,
    detail: str,
    code: str,
) -> None:
    setattr(settings, setting, 10)
    headers = bearer("admin")
    before = _written()
    response = client.post(f"{BASE}/pledges", _upload(fields, files), **headers)
    assert response.status_code == 413
    assert response.json() == {"detail": f"the request has {detail} ({setting})", "code": code}
    assert _written() == before


def test_the_same_upload_under_the_limit_is_imported(
    demo: Coalition, client: Client, settings: Settings
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    upload = SimpleUploadedFile("pledges.csv", PLEDGES, content_type="text/csv")
    response = client.post(f"{BASE}/pledges", {"file": upload}, **bearer("admin"))
    assert response.status_code == 200, response.content
    assert Contribution.objects.filter(reference="LIM-1").count() == 1


def test_a_web_form_with_too_many_fields_is_a_413_page_with_its_code(
    demo: Coalition, client: Client, settings: Settings
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(get_user_model().objects.get(username="admin"))
    before = _written()
    response = client.post(IMPORT_PAGE, _upload(11, 0))
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "the request has more than 10 fields (DATA_UPLOAD_MAX_NUMBER_FIELDS)" in page
    assert "<code>request.too_many_fields</code>" in page
    assert _written() == before


def test_a_web_form_body_over_the_memory_limit_is_a_413_page(
    demo: Coalition, client: Client, settings: Settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(get_user_model().objects.get(username="admin"))
    before = _written()
    response = client.post(
        IMPORT_PAGE, "a=" + "x" * 2000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "<code>request.too_large</code>" in response.content.decode()
    assert _written() == before


def test_an_upload_over_the_request_limit_is_a_413_before_it_is_read(
    demo: Coalition, client: Client, settings: Settings
) -> None:
    settings.REQUEST_MAX_BYTES = 1000
    headers = bearer("admin")
    before = _written()
    upload = SimpleUploadedFile("pledges.csv", PLEDGES + b"#" * 2000, content_type="text/csv")
    response = client.post(f"{BASE}/pledges", {"file": upload}, **headers)
    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"
    assert _written() == before


def test_a_body_that_is_not_json_is_a_documented_400(demo: Coalition, client: Client) -> None:
    """schemathesis: the 400 of an unreadable body was not in the schema."""
    from coalition.api import api

    headers = bearer("delegate-lv")
    before = _written()
    response = client.post(
        f"{BASE}/meetings", b"\xff\x01{", content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body", "code": "http.400"}
    operation = api.get_openapi_schema()["paths"]["/api/v1/coalitions/{slug}/meetings"]["post"]
    assert "400" in {str(status) for status in operation["responses"]}
    assert _written() == before
