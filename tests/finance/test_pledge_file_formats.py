"""Issue 12: a semicolon-separated CSV (what European spreadsheets write) failed with eight
confusing errors and no hint, and there was no template file to download. Semicolons and
tabs are read like commas; a header that stays one column is one clear error; decimal
commas are refused with the reason (never guessed); the upload page offers a template
that imports cleanly once filled."""

import pytest
from django.test import Client

from coalition.finance.models import Contribution, ContributionStep
from coalition.finance.pledgefile import parse
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from tests.helpers import TEST

ROWS = [
    ["reference", "date", "donor", "channel", "status", "amount", "currency", "note"],
    ["NL-9", "2024-09-02", "NL", "common-fund", "pledged", "1234.50", "EUR", "a, b; c"],
    ["SE-9", "2024-03-04", "SE", "national", "committed", "1000000.00", "SEK", ""],
]


def _file(delimiter: str, rows: list[list[str]] = ROWS) -> bytes:
    def cell(value: str) -> str:
        return f'"{value}"' if any(c in value for c in ",;\t") else value

    return "".join(delimiter.join(cell(v) for v in row) + "\r\n" for row in rows).encode()


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolons_and_tabs_read_as_the_comma_file_does(delimiter: str) -> None:
    comma, errors = parse(_file(","), "p.csv")
    assert errors == [] and len(comma) == 2
    assert parse(_file(delimiter), "p.csv") == (comma, [])
    assert comma[0].note == "a, b; c"


@pytest.mark.django_db
def test_a_semicolon_file_imports_the_same_as_the_comma_file(demo: Coalition) -> None:
    pledges_import(actor=TEST, coalition=demo, data=_file(";"), name="eu.csv")
    saved = {c.reference: c for c in Contribution.objects.filter(reference__in=["NL-9", "SE-9"])}
    assert {r: c.status for r, c in saved.items()} == {"NL-9": "pledged", "SE-9": "committed"}
    assert ContributionStep.objects.get(contribution=saved["NL-9"]).amount_minor == 123450
    # The same rows with commas change nothing: the same file, as far as the ledger goes.
    assert not pledges_import(actor=TEST, coalition=demo, data=_file(","), name="p.csv").changed


def test_a_header_left_in_one_column_is_one_clear_error() -> None:
    rows, errors = parse(_file("|"), "p.csv")
    assert rows == [] and len(errors) == 1
    assert str(errors[0]).startswith(
        "p.csv row 1: the header is read as one column 'reference|date|donor|"
    )
    assert "separate the columns with commas, semicolons or tabs" in str(errors[0])


def test_a_decimal_comma_is_refused_with_its_reason() -> None:
    rows = [r[:] for r in ROWS]
    rows[1][5] = "1234,50"
    _, errors = parse(_file(";", rows), "p.csv")
    assert [str(e) for e in errors] == [
        "p.csv row 2, column amount: must be written with '.' as the decimal mark and no "
        "thousands separator, not '1234,50' (e.g. 1234.56)"
    ]


def _client(username: str) -> Client:
    client = Client()
    client.login(username=username, password="demo")
    return client


UPLOAD = "/coalitions/drone-coalition/finance/import/"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads_and_imports_once_filled(demo: Coalition, fmt: str) -> None:
    client = _client("delegate-lv")
    assert f'href="?template={fmt}"' in client.get(UPLOAD).content.decode()
    response = client.get(f"{UPLOAD}?template={fmt}")
    assert response.status_code == 200
    assert f'filename="pledge-file-template.{fmt}"' in response["Content-Disposition"]
    data = response.content
    if fmt == "csv":
        header, example = data.decode().splitlines()
        assert header == "reference,date,donor,channel,status,amount,currency,category,origin,note"
        assert example.startswith("LV-") and ",LV,common-fund,pledged,1000000.00,EUR," in example
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(f"filled.{fmt}", data)
    response = client.post(UPLOAD, {"file": upload})
    assert response.status_code == 302, response.content.decode()[-1500:]
    saved = Contribution.objects.get(donor_id="LV", note="example: replace this row")
    assert saved.status == "pledged" and saved.channel == "common-fund"


@pytest.mark.django_db
def test_an_unknown_template_format_is_a_404(demo: Coalition) -> None:
    assert _client("delegate-lv").get(f"{UPLOAD}?template=ods").status_code == 404
