"""Uploaded pledge and rates files within limits (the IMPORT_* settings), read as bytes or
as a file object, with `;` or `,`; and exports whose text never runs as a formula."""

import io
import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from pytest_django.fixtures import Settings

from coalition.cli import main
from coalition.finance import ecb, pledgefile
from coalition.governance.models import Coalition
from coalition.reporting.tables import Table, export
from tests.finance.conftest import HEADER, csv_bytes, xlsx_bytes
from tests.test_tabular import forbid_inflating, xlsx_bomb

GOOD = "A-1,2024-03-04,SE,national,pledged,1000000.00,SEK,tactical-recon,UA,first pledge"
UNZIPPED_LIMIT = "more than 200 MB (the limit is IMPORT_MAX_UNZIPPED_BYTES)"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """An XLSX of about 4.7 MB whose sheet XML inflates to 1 GiB (takes ~2 s to build)."""
    return xlsx_bomb(1024)


def messages(data: object, name: str) -> list[str]:
    return [str(e) for e in pledgefile.parse(data, name)[1]]  # type: ignore[arg-type]


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it(
    bomb: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(bomb) < 6_000_000
    forbid_inflating(monkeypatch)
    [message] = messages(bomb, "bomb.xlsx")
    assert message.startswith("bomb.xlsx: unzips to 1,07") and message.endswith(UNZIPPED_LIMIT)


@pytest.mark.django_db
def test_the_cli_refuses_the_zip_bomb_with_exit_2(
    demo: Coalition,
    bomb: bytes,
    write_file: Callable[[str, bytes], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["pledges", "import", str(write_file("bomb.xlsx", bomb))]) == 2
    assert UNZIPPED_LIMIT in capsys.readouterr().err


@pytest.mark.django_db
def test_a_csv_field_over_131072_characters_is_a_row_error_on_the_cli(
    demo: Coalition, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """It used to escape as _csv.Error: a traceback on the CLI, a 500 on the web."""
    data = csv_bytes(GOOD, "A-2,2024-03-04,SE,national,pledged,10,EUR,,," + "x" * 131_073)
    assert main(["pledges", "import", str(write_file("pledges.csv", data))]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().endswith(
        "pledges.csv row 3: a value is longer than 10,000 characters "
        "(the limit is IMPORT_MAX_CELL_CHARS)"
    )


def test_the_limits_are_read_from_the_settings(settings: Settings) -> None:
    data = csv_bytes(GOOD, GOOD.replace("A-1", "A-2"), GOOD.replace("A-1", "A-3"))
    assert messages(data, "p.csv") == []
    settings.IMPORT_MAX_ROWS = 2
    assert messages(data, "p.csv") == [
        "p.csv row 4: more than 2 rows after the header (the limit is IMPORT_MAX_ROWS)"
    ]
    settings.IMPORT_MAX_BYTES = 100
    assert messages(data, "p.csv") == [
        "p.csv: the file is larger than 100 bytes (the limit is IMPORT_MAX_BYTES)"
    ]


def test_row_errors_before_the_limit_are_kept(settings: Settings) -> None:
    settings.IMPORT_MAX_ROWS = 1
    assert messages(csv_bytes(GOOD.replace(",SE,", ",XX,"), GOOD), "p.csv") == [
        "p.csv row 2, column donor: 'XX' is not an ISO 3166-1 alpha-2 country code",
        "p.csv row 3: more than 1 rows after the header (the limit is IMPORT_MAX_ROWS)",
    ]


def test_a_semicolon_separated_pledge_file_reads_like_the_comma_one() -> None:
    """What a European spreadsheet writes as CSV; it used to fail with 8 errors."""
    comma = csv_bytes(GOOD, "B-1,2024-12-25,GB,common-fund,disbursed,250000,GBP,,,a; b")
    semicolon = csv_bytes(
        GOOD.replace(",", ";"),
        'B-1;2024-12-25;GB;common-fund;disbursed;250000;GBP;;;"a; b"',
        header=HEADER.replace(",", ";"),
    )
    rows, errors = pledgefile.parse(semicolon, "p.csv")
    assert errors == [] and len(rows) == 2
    assert rows == pledgefile.parse(comma, "p.csv")[0]
    assert rows[1].note == "a; b"


def test_a_binary_file_object_parses_like_its_bytes(tmp_path: Path) -> None:
    for name, data in (
        ("p.csv", csv_bytes(GOOD)),
        ("p.xlsx", xlsx_bytes([["X-1", date(2024, 3, 4), "SE", "national", "pledged", 5, "EUR"]])),
    ):
        expected = pledgefile.parse(data, name)
        assert expected[0] and not expected[1]
        upload = SimpleUploadedFile(name, data)
        assert pledgefile.parse(upload, name) == expected
        assert not upload.closed
        path = tmp_path / name
        path.write_bytes(data)
        with path.open("rb") as file:
            assert pledgefile.parse(file, name) == expected


# Rates files: `coalition rates update FILE` takes a CSV or a ZIP


def rates_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return out.getvalue()


def rate_errors(data: bytes, name: str) -> list[str]:
    return [str(e) for e in ecb.parse(data, name=name).errors]


def test_a_rates_zip_bomb_is_refused_from_its_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    data = rates_zip({"eurofxref-hist.csv": b"Date,USD,\n" + b"0" * 30_000_000})
    forbid_inflating(monkeypatch)
    [error] = ecb.parse(data, name="r.zip").errors
    assert str(error).startswith("r.zip: eurofxref-hist.csv is compressed ")
    assert str(error).endswith("more than 100 to 1 (the limit is IMPORT_MAX_ZIP_RATIO)")


def test_rates_files_are_held_to_the_limits(settings: Settings) -> None:
    good = b"Date,USD,\n2024-12-24,1.0395,\n"
    assert ecb.parse(rates_zip({"e.csv": good}), name="r.zip").count == 1
    settings.IMPORT_MAX_ZIP_MEMBERS = 2
    assert rate_errors(rates_zip(dict.fromkeys("abc", good)), "r.zip") == [
        "r.zip: holds 3 files, more than 2 (the limit is IMPORT_MAX_ZIP_MEMBERS)"
    ]
    long = good + b"2024-12-23," + b"1" * 131_073 + b"\n"
    assert rate_errors(rates_zip({"e.csv": long}), "r.zip") == [
        "r.zip:e.csv row 3: a value is longer than 10,000 characters "
        "(the limit is IMPORT_MAX_CELL_CHARS)"
    ]
    settings.IMPORT_MAX_ROWS = 1
    assert rate_errors(good + b"2024-12-23,1.04,\n", "r.csv") == [
        "r.csv row 3: more than 1 rows after the header (the limit is IMPORT_MAX_ROWS)"
    ]


@pytest.mark.django_db
def test_the_cli_refuses_a_rates_zip_bomb_with_exit_2(
    write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data = rates_zip({"eurofxref-hist.csv": b"Date,USD,\n" + b"0" * 30_000_000})
    assert main(["rates", "update", str(write_file("eurofxref-hist.zip", data))]) == 2
    assert "(the limit is IMPORT_MAX_ZIP_RATIO)" in capsys.readouterr().err


# Exports: what a member typed comes out as text, never as a live formula

EVIL = '=HYPERLINK("https://evil.example","x")'


def evil_table() -> Table:
    return Table(
        name="contributions",
        title="Contributions",
        columns=["reference", "amount", "units", "date", "note"],
        rows=[
            ["A-1", Decimal("-1234.50"), 3, date(2024, 3, 4), EVIL],
            ["+cmd", Decimal("10"), -2, date(2024, 3, 5), "@SUM(1)"],
        ],
    )


def test_the_csv_export_neutralises_formulas_and_keeps_numbers() -> None:
    body = export(evil_table(), "csv", prefix="drone").content.decode()
    assert body.splitlines() == [
        "reference,amount,units,date,note",
        'A-1,-1234.50,3,2024-03-04,"\'=HYPERLINK(""https://evil.example"",""x"")"',
        "'+cmd,10,-2,2024-03-05,'@SUM(1)",
    ]


def test_the_xlsx_export_neutralises_formulas_and_keeps_numbers_and_dates() -> None:
    body = export(evil_table(), "xlsx", prefix="drone").content
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    first, second = sheet.iter_rows(min_row=2)
    assert [c.data_type for c in first] == ["s", "n", "n", "d", "s"]
    assert [c.value for c in first][1:] == [-1234.5, 3, first[3].value, "'" + EVIL]
    assert first[3].value.date() == date(2024, 3, 4)  # type: ignore[union-attr]
    assert [c.value for c in second] == ["'+cmd", 10, -2, second[3].value, "'@SUM(1)"]
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
