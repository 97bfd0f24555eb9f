"""Every string of the UI has a French and a Ukrainian translation, compiled."""

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "coalition"
# Each app's, and the package root's (the messages of records.py, tabular.py, text.py).
CATALOGUES = sorted(
    [*SRC.glob("*/locale/*/LC_MESSAGES/django.po"), *SRC.glob("locale/*/LC_MESSAGES/django.po")]
)


def test_there_are_catalogues_for_french_and_ukrainian() -> None:
    languages = {p.parts[-3] for p in CATALOGUES}
    assert languages == {"fr", "uk"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_string_is_left_untranslated(po: Path) -> None:
    text = po.read_text(encoding="utf-8")
    entries = re.findall(
        r'\nmsgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', text
    )
    untranslated = [
        msgid.strip()
        for msgid, msgstr in entries
        if msgid.strip() != '""' and msgstr.strip() == '""'
    ]
    assert untranslated == []
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_compiled_catalogue_is_not_older_than_its_source(po: Path) -> None:
    mo = po.with_suffix(".mo")
    assert mo.exists()
