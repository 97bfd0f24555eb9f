"""The summit report: `coalition report summit --year YYYY [--lang en|fr|uk] --output FILE`
and its button; rendered in the three languages, read back from the PDF's text layer
(Cyrillic included: the shipped font), with exit code 2 for a bad year, language or
file."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client
from pypdf import PdfReader

from coalition.cli import main
from coalition.demo.services import exercise_load
from coalition.governance.models import Coalition
from coalition.governance.selectors import members_on
from coalition.procurement.models import DeliveredItem
from coalition.reporting.summit import summit_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command runs in-process: Django closes every connection after a command, which
    on PostgreSQL would end the test's transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


TITLES = {
    "en": ("Summit report 2025", "Headline figures", "Members and accession news"),
    "fr": ("Rapport du sommet 2025", "Chiffres clés", "Membres et adhésions"),
    "uk": ("Звіт саміту 2025", "Основні показники", "Члени та вступ"),
}


def _text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", ["en", "fr", "uk"])
def test_the_report_in_each_language(
    demo: Coalition, tmp_path: Path, language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    exercise_load(demo)
    output = tmp_path / f"summit-{language}.pdf"
    args = ["report", "summit", "--year", "2025", "--lang", language, "--output", str(output)]
    assert main(args) == 0
    assert str(output) in capsys.readouterr().out
    text = _text(output.read_bytes())
    for phrase in TITLES[language]:
        assert phrase in text, phrase
    members = len(members_on(coalition=demo, on=date(2025, 12, 31)))
    assert re.search(rf"2025-12-31\s?: {members}\b", text)
    delivered = DeliveredItem.objects.filter(delivered_on__year=2025).count()
    assert delivered > 0
    digits = re.sub(r"(?<=\d)[,\u00a0\u202f ](?=\d{3})", "", text)  # grouping removed
    assert str(delivered) in digits
    assert "Drone Coalition" in text


def test_ukrainian_words_and_country_names_are_in_the_text_layer(demo: Coalition) -> None:
    text = _text(summit_pdf(coalition=demo, year=2025, language="uk"))
    for word in ("Звіт саміту", "Підтримка", "Туреччина"):
        assert word in text, word


def test_the_default_language_is_english(demo: Coalition, tmp_path: Path) -> None:
    output = tmp_path / "summit.pdf"
    assert main(["report", "summit", "--year", "2024", "--output", str(output)]) == 0
    assert "Summit report 2024" in _text(output.read_bytes())


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "20x5", "--output", "{tmp}/a.pdf"],
        ["--year", "1800", "--output", "{tmp}/a.pdf"],
        ["--year", "2025", "--lang", "de", "--output", "{tmp}/a.pdf"],
        ["--year", "2025", "--output", "{tmp}/no/such/dir/a.pdf"],
    ],
    ids=["not-a-year", "year-out-of-range", "language", "unwritable"],
)
def test_bad_input_exits_2_and_writes_nothing(
    demo: Coalition, tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["report", "summit", *args]) == 2
    assert not (tmp_path / "a.pdf").exists()
    assert capsys.readouterr().err.strip()


def test_the_button_downloads_it_without_login(client: Client, demo: Coalition) -> None:
    html = client.get("/coalitions/drone-coalition/public/").content.decode()
    assert 'data-testid="summit-report"' in html
    response = client.get(
        "/coalitions/drone-coalition/public/summit.pdf", {"year": "2025", "lang": "fr"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Rapport du sommet 2025" in _text(response.content)
    bad = client.get("/coalitions/drone-coalition/public/summit.pdf", {"lang": "de"})
    assert bad.status_code == 404


def test_confidential_suppliers_and_prices_stay_out(demo: Coalition) -> None:
    exercise_load(demo)
    demo.confidential_prices = demo.confidential_suppliers = True
    demo.save()
    text = _text(summit_pdf(coalition=demo, year=2025, language="en"))
    assert "illustrative)" not in text  # no supplier name of the exercise
    assert "confidential" in text
