"""One date format for the reader's language on every page (Django's `date` filter with
the language's DATE_FORMAT, coalition.formats): the coalition page once showed
"Feb. 1, 2024", "2024-10-31" and "2 June 2025" together. ISO dates stay in the API."""

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from coalition.governance.labels import long_date
from tests.governance.accession_helpers import pending_of, vote

pytestmark = pytest.mark.django_db

ISO = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")  # not in keys such as lsm-2024-11-05
NUMERIC = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
MONTHS = {
    "en": "January|February|March|April|May|June|July|August|September|October|November|December",
    "fr": "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    "uk": "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня",
}


def _text(html: str) -> str:
    """What the reader sees in the main content (no attributes, scripts or charts)."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    main = re.sub(r'<div class="plotly-graph-div.*?</div>', " ", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)


@pytest.mark.parametrize("language", ["en", "fr", "uk"])
def test_the_coalition_and_application_pages_write_dates_one_way(
    demo: object, client: Client, language: str
) -> None:
    tr = pending_of("TR")
    vote(tr, "GB", comment="welcome")
    assert client.login(username="delegate-lv", password="demo")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    long = re.compile(rf"\b\d{{1,2}} (?:{MONTHS[language]}) \d{{4}}\b")
    for path in (
        "/coalitions/drone-coalition/",
        f"/coalitions/drone-coalition/applications/{tr.pk}/",
        "/countries/LU/",
        "/coalitions/drone-coalition/meetings/",
    ):
        text = _text(client.get(path).content.decode())
        assert ISO.findall(text) == [], path
        assert NUMERIC.findall(text) == [], path
        assert len(long.findall(text)) >= 1, path


def test_the_language_s_date_format_is_the_long_date() -> None:
    import datetime as dt

    day = dt.date(2025, 6, 2)
    expected = {"en": "2 June 2025", "fr": "2 juin 2025", "uk": "2 червня 2025"}
    for language, text in expected.items():
        with translation.override(language):
            assert date_format(day) == text
            assert long_date(day) == text
