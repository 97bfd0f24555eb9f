"""`coalition export ocds [--output FILE] [--records]` (docs/CONTRACT.md) and the
download routes GET /api/v1/coalitions/{slug}/ocds/releases and /ocds/records: who may
read them (those who read the procurement), the file, stdout, the refusals."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from coalition.access.policy import may
from coalition.cli import main
from coalition.demo.services import exercise_load
from coalition.governance.models import Coalition
from tests.helpers import DEMO_ROLES, bearer, user_actor
from tests.procurement.ocds_check import ocds_validate

pytestmark = pytest.mark.django_db
OCID = "ocds-coalit-drone-coalition-DC-ISR-2025"


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """`coalition ...` closes the database connections when a command ends; inside a
    test on PostgreSQL that would end the test's transaction, so keep them open."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def exercise(demo: Coalition) -> Coalition:
    exercise_load(demo)
    return demo


def test_the_command_writes_the_release_package(
    exercise: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ocds.json"
    assert main(["export", "ocds", "--output", str(path)]) == 0
    package = json.loads(path.read_text(encoding="utf-8"))
    count = len(package["releases"])
    assert capsys.readouterr().out.strip() == f"{path}: {count} releases written"
    assert package["uri"] == (
        "http://127.0.0.1:8000/api/v1/coalitions/drone-coalition/ocds/releases"
    )
    assert package["releases"][0]["id"] == f"{OCID}-planning"
    assert ocds_validate(package) == ([], {})


@pytest.mark.parametrize("output", [[], ["--output", "-"]])
def test_the_command_prints_to_stdout(
    exercise: Coalition, capsys: pytest.CaptureFixture[str], output: list[str]
) -> None:
    assert main(["export", "ocds", "--records", "--coalition", "drone-coalition", *output]) == 0
    package = json.loads(capsys.readouterr().out)
    assert [r["ocid"] for r in package["records"]] == [OCID]
    assert package["records"][0]["compiledRelease"]["tag"] == ["compiled"]


def test_the_command_refuses_with_exit_2(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "ocds", "--coalition", "nowhere"]) == 2
    assert "no coalition with slug 'nowhere'" in capsys.readouterr().err
    path = tmp_path / "empty.json"
    assert main(["export", "ocds", "--output", str(path)]) == 2  # no competition yet
    assert "nothing to publish" in capsys.readouterr().err
    assert not path.exists()
    assert main(["export", "xml"]) == 2
    exercise_load(demo)
    assert main(["export", "ocds", "--output", str(tmp_path / "no" / "such.json")]) == 2
    assert "No such file or directory" in capsys.readouterr().err


def test_help_lists_the_export(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "export ocds [--output FILE]" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["releases", "records"])
def test_who_may_download(exercise: Coalition, client: Client, kind: str) -> None:
    path = f"/api/v1/coalitions/drone-coalition/ocds/{kind}"
    assert client.get(path).status_code == 401
    allowed = {}
    for username in DEMO_ROLES:
        response = client.get(path, **bearer(username))
        allowed[username] = response.status_code
        if response.status_code == 200:
            assert json.loads(response.content)[kind]
        else:
            assert response.json()["detail"].startswith("procurement is for")
        expected = may(user_actor(username), "procurement.view", coalition=exercise)
        assert (response.status_code == 200) == expected
    assert allowed == {
        "admin": 200,
        "auditor": 200,
        "beneficiary-ua": 200,
        "delegate-lv": 200,
        "delegate-tr": 403,  # a candidate, not a member
        "delegate-gb": 200,
    }


def test_the_download_is_a_file_with_the_requests_address(
    exercise: Coalition, client: Client
) -> None:
    response = client.get(
        "/api/v1/coalitions/drone-coalition/ocds/records?download=true", **bearer("auditor")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="drone-coalition-ocds-records.json"'
    )
    package = json.loads(response.content)
    assert package["uri"] == "http://testserver/api/v1/coalitions/drone-coalition/ocds/records"
    assert ocds_validate(package) == ([], {})


def test_a_coalition_without_competitions_answers_404(demo: Coalition, client: Client) -> None:
    response = client.get("/api/v1/coalitions/drone-coalition/ocds/releases", **bearer("admin"))
    assert response.status_code == 404
    assert "nothing to publish" in response.json()["detail"]


def test_the_orders_page_links_the_downloads(exercise: Coalition, client: Client) -> None:
    client.force_login(get_user_model().objects.get(username="auditor"))
    page = client.get(reverse("orders", args=["drone-coalition"])).content.decode()
    assert "/api/v1/coalitions/drone-coalition/ocds/releases?download=true" in page
    assert "/api/v1/coalitions/drone-coalition/ocds/records?download=true" in page


def test_the_coalition_shows_its_publication_settings(demo: Coalition, client: Client) -> None:
    body = client.get("/api/v1/coalitions/drone-coalition").json()
    assert (body["ocid_prefix"], body["confidential_prices"], body["confidential_suppliers"]) == (
        "ocds-coalit",
        False,
        False,
    )
