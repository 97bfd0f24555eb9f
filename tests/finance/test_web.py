"""The finance pages: dashboard, member, fund ledger with filters, exports, the upload
form and the contribution form, in three languages, loading nothing from the network."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from coalition.finance.models import Contribution, Fund
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from tests.finance.conftest import csv_bytes
from tests.finance.helpers import counts
from tests.helpers import EXTERNAL, TEST

pytestmark = pytest.mark.django_db

DASH = "/coalitions/drone-coalition/finance/"


@pytest.fixture
def money(demo: Coalition) -> Coalition:
    pledges_import(
        actor=TEST,
        coalition=demo,
        data=csv_bytes(
            "NL-1,2024-09-02,NL,common-fund,disbursed,1000.00,EUR,tactical-recon,UA,",
            "SE-1,2024-03-04,SE,national,committed,1000000.00,SEK,,,",
        ),
        name="p.csv",
    )
    return demo


def login(username: str) -> Client:
    client = Client()
    client.login(username=username, password="demo")
    return client


def test_the_dashboard_shows_totals_charts_reported_figures_and_sources(money: Coalition) -> None:
    html = Client().get(DASH + "?year=2024").content.decode()
    assert 'data-testid="pledged">€ 89,948.98<' in html  # SEK 1 M at 11.2424 + EUR 1,000
    assert "Totals per year (EUR)" in html and "By channel (EUR)" in html  # the charts
    assert "1,800,000,000" in html and "[article-2025-05]" in html  # reported, with source
    assert "March 2025" in html  # the other reports' date, kept
    assert "Fund balances" not in html  # for readers only
    assert not EXTERNAL.findall(html)
    html = login("auditor").get(DASH + "?year=2024").content.decode()
    assert "Fund balances" in html and "Common fund" in html


def test_the_2025_dashboard_has_latvia_plan_and_norway_without_amount(demo: Coalition) -> None:
    html = Client().get(DASH + "?year=2025").content.decode()
    assert "30,000,000.00" in html  # Latvia's plan: EUR 20 M + EUR 10 M
    assert "2,750,000,000" in html
    assert "Norway: additional funds" in html and "no amount given" in html


@pytest.mark.parametrize("table", ["years", "by_channel", "by_category", "by_member", "reported"])
def test_every_dashboard_table_exports_as_csv_and_xlsx(money: Coalition, table: str) -> None:
    client = Client()
    response = client.get(f"{DASH}?year=2024&export=csv&table={table}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="drone-coalition-2024-{table}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) >= 2
    response = client.get(f"{DASH}?year=2024&export=xlsx&table={table}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == rows[0]
    assert sheet.max_row == len(rows)


def test_the_by_member_export_holds_the_figures(money: Coalition) -> None:
    response = Client().get(f"{DASH}?year=2024&export=csv&table=by_member")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Member", "Pledged", "Committed", "Disbursed"],
        ["NL", "1000.00", "1000.00", "1000.00"],
        ["SE", "88948.98", "88948.98", "0.00"],
    ]


def test_unknown_export_is_404(money: Coalition) -> None:
    assert Client().get(f"{DASH}?export=csv&table=funds").status_code == 404  # not for anonymous
    assert Client().get(f"{DASH}?export=pdf&table=years").status_code == 404
    assert login("auditor").get(f"{DASH}?export=xlsx&table=funds").status_code == 200


def test_the_fund_ledger_filters_and_exports(money: Coalition) -> None:
    fund = Fund.objects.get(channel="common-fund")
    client = login("delegate-gb")
    url = f"/coalitions/drone-coalition/finance/funds/{fund.id}/"
    html = client.get(url).content.decode()
    assert "Contribution NL-1: disbursed" in html
    assert (
        "Contribution NL-1: disbursed" not in client.get(url + "?end=2024-09-01").content.decode()
    )
    assert (
        "Contribution NL-1: disbursed"
        in client.get(url + "?earmark=tactical-recon|UA").content.decode()
    )
    assert "NL-1" not in client.get(url + "?earmark=fpv|").content.decode()
    account = fund.accounts.get(kind="available")
    assert "NL-1" in client.get(f"{url}?account={account.id}").content.decode()
    response = client.get(url + "?start=2024-01-01&export=xlsx&table=ledger")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.max_row == 4  # header + pledge, commitment, money
    assert sheet.cell(1, 2).value == "Transaction"  # the key: in the export only
    keys = {sheet.cell(row, 2).value: row for row in range(2, 5)}
    row = keys["drone-coalition:contribution:NL-1:disbursed"]
    assert sheet.cell(row, 7).value == 1000  # the amount, a number


def test_the_member_page(money: Coalition) -> None:
    html = (
        Client().get("/coalitions/drone-coalition/finance/members/SE/?year=2024").content.decode()
    )
    assert "88,948.98" in html and "SE-1" not in html  # contributions: readers only
    html = (
        login("delegate-lv")
        .get("/coalitions/drone-coalition/finance/members/SE/?year=2024")
        .content.decode()
    )
    assert "SE-1" in html
    assert Client().get("/coalitions/drone-coalition/finance/members/XX/").status_code == 404


def test_the_upload_form_imports_and_lists_every_error(money: Coalition) -> None:
    client = login("delegate-lv")
    url = "/coalitions/drone-coalition/finance/import/"
    bad = SimpleUploadedFile(
        "lv.csv",
        csv_bytes(
            "LV-9,2024-09-02,LV,national,pledged,0,EUR,,,",
            "LV-10,2024-09-02,SE,national,pledged,5,EUR,,,",
        ),
    )
    before = counts()
    response = client.post(url, {"file": bad})
    assert response.status_code == 422
    html = response.content.decode()
    assert "lv.csv row 2, column amount: must be greater than zero" in html
    assert "lv.csv row 3, column donor: your delegation may only enter contributions of LV" in html
    assert counts() == before
    good = SimpleUploadedFile("lv.csv", csv_bytes("LV-9,2024-09-02,LV,national,pledged,5,EUR,,,"))
    response = client.post(url, {"file": good}, follow=True)
    assert "1 steps recorded for 1 contributions" in response.content.decode()
    assert Contribution.objects.filter(reference="LV-9").exists()


def test_the_contribution_form_enters_and_advances_a_delegation_s_own(money: Coalition) -> None:
    client = login("delegate-lv")
    new = "/coalitions/drone-coalition/finance/contributions/new/"
    form = {
        "reference": "LV-form",
        "date": "2024-09-02",
        "donor": "SE",  # ignored: the field is fixed to the delegation's country
        "channel": "national",
        "status": "pledged",
        "amount": "100.00",
        "currency": "EUR",
    }
    response = client.post(new, form)
    assert response.status_code == 302
    saved = Contribution.objects.get(reference="LV-form")
    assert saved.donor_id == "LV" and saved.status == "pledged"
    edit = "/coalitions/drone-coalition/finance/contributions/LV-form/"
    response = client.post(
        edit, {"date": "2024-09-01", "status": "committed", "amount": "90", "currency": "EUR"}
    )
    assert response.status_code == 422
    assert (
        "committed on 2024-09-01 would be before pledged on 2024-09-02" in response.content.decode()
    )
    response = client.post(
        edit, {"date": "2024-10-01", "status": "committed", "amount": "90", "currency": "EUR"}
    )
    assert response.status_code == 302
    assert Contribution.objects.get(reference="LV-form").status == "committed"
    html = client.get(edit).content.decode()
    assert 'value="pledged"' not in html  # the status only moves forward


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Pledged"), ("fr", "Promis"), ("uk", "Обіцяно")],
)
def test_the_dashboard_speaks_three_languages(
    demo: Coalition, language: str, expected: str
) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.get(DASH).content.decode()
    assert expected in html and f'<html lang="{language}">' in html
