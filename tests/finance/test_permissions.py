"""Who may do what, for every finance endpoint and page and every demo role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from coalition.finance.models import Fund
from coalition.governance.models import Coalition
from tests.finance.conftest import csv_bytes
from tests.helpers import bearer

pytestmark = pytest.mark.django_db

ROLES = ["admin", "auditor", "beneficiary-ua", "delegate-lv", "delegate-gb", "delegate-tr", None]
BASE = "/api/v1/coalitions/drone-coalition"

PUBLIC = dict.fromkeys(ROLES, 200)
READERS = {
    "admin": 200,
    "auditor": 200,
    "beneficiary-ua": 200,  # Ukraine is a member
    "delegate-lv": 200,
    "delegate-gb": 200,
    "delegate-tr": 403,  # a candidate, not a member
    None: 401,
}
# Entering Latvia's contributions: an admin, or Latvia's own delegation.
ENTER_LV = {
    "admin": 201,
    "auditor": 403,
    "beneficiary-ua": 403,
    "delegate-lv": 201,
    "delegate-gb": 403,
    "delegate-tr": 403,
    None: 401,
}


def _headers(username: str | None) -> dict[str, str]:
    return bearer(username) if username else {}


def _ledger_path() -> str:
    fund = Fund.objects.get(channel="national", country_id="LV")
    return f"{BASE}/funds/{fund.id}/ledger"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/totals?year=2025", PUBLIC),
        ("/contributions", READERS),
        ("/contributions/LV-2025-drones", READERS),
        ("/funds", READERS),
        ("ledger", READERS),
    ],
)
def test_reads(demo: Coalition, client: Client, path: str, expected: dict[str | None, int]) -> None:
    url = _ledger_path() if path == "ledger" else BASE + path
    got = {u: client.get(url, **_headers(u)).status_code for u in ROLES}
    assert got == expected


def test_the_rate_endpoint_is_public(demo: Coalition, client: Client) -> None:
    url = "/api/v1/rates/GBP?on=2024-12-25"
    assert {u: client.get(url, **_headers(u)).status_code for u in ROLES} == PUBLIC


@pytest.mark.parametrize("username", ROLES)
def test_entering_a_contribution(demo: Coalition, client: Client, username: str | None) -> None:
    body = {
        "reference": "LV-test",
        "date": "2025-03-03",
        "donor": "LV",
        "channel": "national",
        "status": "committed",
        "amount": "1000.00",
        "currency": "EUR",
    }
    response = client.post(
        f"{BASE}/contributions", data=body, content_type="application/json", **_headers(username)
    )
    assert response.status_code == ENTER_LV[username], response.content
    if response.status_code == 201:
        assert response.json()["status"] == "committed"
        assert [s["status"] for s in response.json()["steps"]] == ["pledged", "committed"]


@pytest.mark.parametrize("username", ROLES)
def test_importing_a_pledge_file(demo: Coalition, client: Client, username: str | None) -> None:
    upload = SimpleUploadedFile(
        "lv.csv", csv_bytes("LV-f,2025-03-03,LV,national,pledged,10.00,EUR,,,"), "text/csv"
    )
    response = client.post(f"{BASE}/pledges", {"file": upload}, **_headers(username))
    expected = {**ENTER_LV, "admin": 200, "delegate-lv": 200, "delegate-gb": 422}[username]
    assert response.status_code == expected, response.content
    if username == "delegate-gb":  # a delegation enters its own country's rows only
        assert response.json()["errors"] == [
            {
                "file": "lv.csv",
                "row": 2,
                "column": "donor",
                "message": "your delegation may only enter contributions of GB, and any "
                "member's into the common fund",
            }
        ]


# Latvia's deposit into the common fund: Latvia, and the fund manager (GB) that runs it.
ENTER_LV_COMMON = {**ENTER_LV, "delegate-gb": 201}


@pytest.mark.parametrize("username", ROLES)
def test_the_fund_manager_records_any_member_s_common_fund_deposit(
    demo: Coalition, client: Client, username: str | None
) -> None:
    body = {"reference": "LV-cf", "date": "2025-03-03", "donor": "LV"}
    body |= {"channel": "common-fund", "status": "disbursed", "amount": "500.00"}
    body |= {"currency": "EUR"}
    response = client.post(
        f"{BASE}/contributions", data=body, content_type="application/json", **_headers(username)
    )
    assert response.status_code == ENTER_LV_COMMON[username], response.content
    # A national programme of another country stays Latvia's own (see test above).
    national = body | {"reference": "LV-nat", "channel": "national"}
    response = client.post(
        f"{BASE}/contributions",
        data=national,
        content_type="application/json",
        **_headers(username),
    )
    assert response.status_code == ENTER_LV[username], response.content


def test_the_fund_manager_imports_other_members_common_fund_rows_only(
    demo: Coalition, client: Client
) -> None:
    rows = csv_bytes(
        "LV-f1,2025-03-03,LV,common-fund,pledged,10.00,EUR,,,",
        "NL-f1,2025-03-03,NL,common-fund,disbursed,20.00,EUR,,,",
    )
    upload = SimpleUploadedFile("cf.csv", rows, "text/csv")
    response = client.post(f"{BASE}/pledges", {"file": upload}, **bearer("delegate-gb"))
    assert response.status_code == 200, response.content
    rows = csv_bytes("LV-f2,2025-03-03,LV,industry,pledged,10.00,EUR,,,")
    upload = SimpleUploadedFile("ind.csv", rows, "text/csv")
    response = client.post(f"{BASE}/pledges", {"file": upload}, **bearer("delegate-gb"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["column"] == "donor"
    # Latvia's own delegation may not enter the Netherlands' deposit: it manages no fund.
    rows = csv_bytes("NL-f3,2025-03-03,NL,common-fund,pledged,10.00,EUR,,,")
    upload = SimpleUploadedFile("nl.csv", rows, "text/csv")
    response = client.post(f"{BASE}/pledges", {"file": upload}, **bearer("delegate-lv"))
    assert response.status_code == 422


def test_the_fund_manager_s_form_offers_every_donor_and_refuses_other_programmes(
    demo: Coalition,
) -> None:
    web = Client()
    web.login(username="delegate-gb", password="demo")
    new = "/coalitions/drone-coalition/finance/contributions/new/"
    html = web.get(new).content.decode()
    assert 'name="donor"' in html and "disabled" not in html.split('name="donor"', 1)[1][:80]
    assert '<option value="GB" selected>' in html and '<option value="LV">' in html
    form = {"reference": "LV-web", "date": "2025-03-03", "donor": "LV", "status": "pledged"}
    form |= {"amount": "10", "currency": "EUR"}
    response = web.post(new, form | {"channel": "national"})
    assert response.status_code == 403
    html = response.content.decode()
    error = html.split('id="id_donor_error"', 1)[1].split("</span>", 1)[0]
    assert "other members&#x27; only into the common fund" in error
    assert web.post(new, form | {"channel": "common-fund"}).status_code == 302


WEB_READERS = {**READERS, None: 302}
WEB_ENTER = {
    "admin": 200,
    "auditor": 403,
    "beneficiary-ua": 403,
    "delegate-lv": 200,
    "delegate-gb": 200,
    "delegate-tr": 403,
    None: 302,
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/coalitions/drone-coalition/finance/", PUBLIC),
        ("/coalitions/drone-coalition/finance/members/LV/", PUBLIC),
        ("fund", WEB_READERS),
        ("/coalitions/drone-coalition/finance/import/", WEB_ENTER),
        ("/coalitions/drone-coalition/finance/contributions/new/", WEB_ENTER),
        (
            "/coalitions/drone-coalition/finance/contributions/LV-2025-drones/",
            {**WEB_ENTER, "delegate-gb": 403},  # another country's contribution
        ),
    ],
)
def test_pages(demo: Coalition, path: str, expected: dict[str | None, int]) -> None:
    if path == "fund":
        fund = Fund.objects.get(channel="national", country_id="LV")
        path = f"/coalitions/drone-coalition/finance/funds/{fund.id}/"
    got = {}
    for username in ROLES:
        client = Client()
        if username:
            client.login(username=username, password="demo")
        got[username] = client.get(path).status_code
    assert got == expected
