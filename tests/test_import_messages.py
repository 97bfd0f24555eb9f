"""A file's errors in the reader's language (issue 12): real refusals of the pledge and
manifest imports shown in French and Ukrainian, plural forms and numbers as each language
writes them, stored errors translated when shown later, the upload page in French; and
no RowError built from bare English text, nor a template missing from the catalogues."""

# ruff: noqa: RUF001 (Ukrainian text: its Cyrillic letters are meant)

import ast
import html
import json
from pathlib import Path

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from coalition.errors import FileRejected, Message, RowError
from coalition.finance import pledgefile
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from coalition.procurement.models import DeliveredItem, DeliveryBatch, Requirement
from coalition.procurement.services.deliveries import deliveries_import
from coalition.tabular import Limits
from coalition.web.errors import row_error_text, stored_message
from tests.finance.conftest import csv_bytes
from tests.finance.helpers import counts
from tests.helpers import TEST, api_get
from tests.procurement.manifests import day, manifest, signed_order
from tests.procurement.purchase import BENEFICIARY, purchase_setup

SRC = Path(__file__).resolve().parents[1] / "src" / "coalition"
NBSP = "\xa0"  # Django's thousands separator in French and Ukrainian


def shown(errors: list[RowError], language: str) -> list[str]:
    with translation.override(language):
        return [row_error_text(e) for e in errors]


def pledge_errors(coalition: Coalition, *rows: str) -> list[RowError]:
    before = counts()
    with pytest.raises(FileRejected) as caught:
        pledges_import(actor=TEST, coalition=coalition, data=csv_bytes(*rows), name="p.csv")
    assert counts() == before
    return caught.value.errors


BAD_PLEDGES = (
    "A-1,04/03/2024,SE,national,pledged,10,EUR,,,",
    "A-2,2024-03-04,XX,national,pledged,0,EUR,,,",
    "A-3,2024-03-04,SE,national,pledged,2000000000000,EUR,,,",
    "A-4,2024-03-04,SE,national,pledged,10.123,EUR,,,",
)


@pytest.mark.django_db
def test_a_bad_pledge_file_reads_in_english_french_and_ukrainian(demo: Coalition) -> None:
    errors = pledge_errors(demo, *BAD_PLEDGES)
    english = [
        "p.csv row 2, column date: must be an ISO date (YYYY-MM-DD), not '04/03/2024'",
        "p.csv row 3, column donor: 'XX' is not an ISO 3166-1 alpha-2 country code",
        "p.csv row 3, column amount: must be greater than zero",
        "p.csv row 4, column amount: must be at most 1,000,000,000,000 (the limit of one amount)",
        "p.csv row 5, column amount: EUR allows at most 2 decimal places",
    ]
    assert [str(e) for e in errors] == english
    assert shown(errors, "en") == english
    trillion = NBSP.join(["1", "000", "000", "000", "000"])
    assert shown(errors, "fr") == [
        "p.csv ligne 2, colonne date : doit être une date ISO (AAAA-MM-JJ), et non « 04/03/2024 »",
        "p.csv ligne 3, colonne donor : « XX » n'est pas un code de pays ISO 3166-1 alpha-2",
        "p.csv ligne 3, colonne amount : doit être supérieur à zéro",
        f"p.csv ligne 4, colonne amount : doit être au plus {trillion} (la limite d'un montant)",
        "p.csv ligne 5, colonne amount : EUR admet au plus 2 décimales",
    ]
    assert shown(errors, "uk") == [
        "p.csv рядок 2, стовпець date: має бути датою ISO (РРРР-ММ-ДД), а не «04/03/2024»",
        "p.csv рядок 3, стовпець donor: «XX» не є кодом країни ISO 3166-1 alpha-2",
        "p.csv рядок 3, стовпець amount: має бути більше за нуль",
        f"p.csv рядок 4, стовпець amount: має бути не більше {trillion} (межа однієї суми)",
        "p.csv рядок 5, стовпець amount: EUR допускає щонайбільше 2 знаки після коми",
    ]


def manifest_refusal(demo: Coalition) -> tuple[list[RowError], str]:
    """The errors of a refused manifest (nothing written), and the future day it names."""
    order = signed_order(demo)
    ref, past, future = order.reference, day(-1).isoformat(), day(5).isoformat()
    data = manifest(
        f"SN-1,PO-NOPE,{past},L1",
        f"SN-2,{ref},{future},",
        f"SN-3,{ref},{past},",
        f"SN-3,{ref},{past},",
        f"bad serial!,{ref},{past},",
    )
    before = DeliveredItem.objects.count(), DeliveryBatch.objects.count()
    with pytest.raises(FileRejected) as caught:
        deliveries_import(actor=TEST, coalition=demo, data=data, name="m.csv")
    assert (DeliveredItem.objects.count(), DeliveryBatch.objects.count()) == before
    return caught.value.errors, future


@pytest.mark.django_db
def test_a_bad_manifest_reads_in_french_and_ukrainian(demo: Coalition) -> None:
    errors, future = manifest_refusal(demo)
    assert [str(e) for e in errors] == [
        "m.csv row 2, column order: unknown order 'PO-NOPE'",
        f"m.csv row 3, column delivered_on: {future} is in the future",
        "m.csv row 5, column serial: serial SN-3 is also in row 4 of this file",
        "m.csv row 6, column serial: 'bad serial!' is not a serial number: letters, digits and "
        ". _ / - (starting with a letter or digit)",
    ]
    assert shown(errors, "fr") == [
        "m.csv ligne 2, colonne order : commande « PO-NOPE » inconnue",
        f"m.csv ligne 3, colonne delivered_on : {future} est dans le futur",
        "m.csv ligne 5, colonne serial : le numéro de série SN-3 figure aussi à la ligne 4 de ce "
        "fichier",
        "m.csv ligne 6, colonne serial : « bad serial! » n'est pas un numéro de série : lettres, "
        "chiffres et . _ / - (commençant par une lettre ou un chiffre)",
    ]
    assert shown(errors, "uk") == [
        "m.csv рядок 2, стовпець order: невідоме замовлення «PO-NOPE»",
        f"m.csv рядок 3, стовпець delivered_on: {future} — у майбутньому",
        "m.csv рядок 5, стовпець serial: серійний номер SN-3 є також у рядку 4 цього файлу",
        "m.csv рядок 6, стовпець serial: «bad serial!» не є серійним номером: літери, цифри "
        "та . _ / - (на початку — літера або цифра)",
    ]


@pytest.mark.parametrize(
    ("limit", "english", "french", "ukrainian"),
    [
        (1, "1 rows", "1 ligne", "1 рядок"),  # English as the platform always wrote it
        (3, "3 rows", "3 lignes", "3 рядки"),
        (5, "5 rows", "5 lignes", "5 рядків"),
        (22, "22 rows", "22 lignes", "22 рядки"),
    ],
)
def test_a_limit_takes_the_plural_form_of_each_language(
    limit: int, english: str, french: str, ukrainian: str
) -> None:
    data = csv_bytes(*[f"A-{n},2024-03-04,SE,national,pledged,10,EUR,,," for n in range(30)])
    _, errors = pledgefile.parse(data, "p.csv", Limits(max_rows=limit))
    row = limit + 2
    assert [str(e) for e in errors] == [
        f"p.csv row {row}: more than {english} after the header (the limit is IMPORT_MAX_ROWS)"
    ]
    assert shown(errors, "fr") == [
        f"p.csv ligne {row} : plus de {french} après l'en-tête (la limite est IMPORT_MAX_ROWS)"
    ]
    assert shown(errors, "uk") == [
        f"p.csv рядок {row}: понад {ukrainian} після заголовка (обмеження — IMPORT_MAX_ROWS)"
    ]


def test_a_stored_error_is_translated_when_shown_later() -> None:
    message = Message(
        "serial %(serial)s was already delivered %(where)s",
        serial="SN-1",
        where=Message(
            "for order %(order)s on %(date)s%(lot)s%(source)s",
            order="PO-1",
            date="2025-05-01",
            lot=Message(", lot %(lot)s", lot="L7"),
            source="",
        ),
    )
    stored = json.loads(json.dumps(RowError("m.csv", 9, "serial", message).stored()))
    assert (
        stored["message"]
        == "serial SN-1 was already delivered for order PO-1 on 2025-05-01, lot L7"
    )
    with translation.override("uk"):
        assert stored_message(stored) == (
            "серійний номер SN-1 уже доставлено за замовленням PO-1 2025-05-01, партія L7"
        )
        assert row_error_text(stored) == (
            "m.csv рядок 9, стовпець serial: серійний номер SN-1 уже доставлено за замовленням "
            "PO-1 2025-05-01, партія L7"
        )
    # Errors stored before messages were translatable (no "i18n") stay as they are.
    with translation.override("fr"):
        assert stored_message({"file": "m.csv", "row": 2, "column": None, "message": "x"}) == "x"


@pytest.mark.django_db
def test_a_refused_batch_reads_in_french_on_its_page_and_in_english_in_the_api(
    demo: Coalition,
) -> None:
    errors, _ = manifest_refusal(demo)
    batch = DeliveryBatch.objects.create(
        coalition=demo, name="m.csv", digest="", status="failed", errors=[errors[0].stored()]
    )
    client = Client()
    assert client.login(username=BENEFICIARY, password="demo")
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    response = client.get(f"/coalitions/drone-coalition/deliveries/?batch={batch.pk}")
    page = html.unescape(response.content.decode())
    assert "ligne 2, order: commande « PO-NOPE » inconnue" in page
    assert "unknown order" not in page
    status, body = api_get(
        Client(), f"/coalitions/drone-coalition/deliveries/batches/{batch.pk}", BENEFICIARY
    )
    assert status == 200
    assert body["errors"] == [  # type: ignore[index]
        {"file": "m.csv", "row": 2, "column": "order", "message": "unknown order 'PO-NOPE'"}
    ]


@pytest.mark.django_db
def test_the_upload_page_in_french_lists_the_errors_in_french(demo: Coalition) -> None:
    client = Client()
    assert client.login(username="delegate-lv", password="demo")
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    bad = SimpleUploadedFile("lv.csv", csv_bytes("LV-9,2024-09-02,LV,national,pledged,0,EUR,,,"))
    before = counts()
    response = client.post("/coalitions/drone-coalition/finance/import/", {"file": bad})
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "lv.csv ligne 2, colonne amount : doit être supérieur à zéro" in page
    assert "must be greater than zero" not in page
    assert counts() == before


@pytest.mark.django_db
def test_the_requirements_page_in_ukrainian_lists_the_errors_in_ukrainian(
    demo: Coalition,
) -> None:
    purchase_setup(demo)
    client = Client()
    assert client.login(username=BENEFICIARY, password="demo")
    client.post("/i18n/setlang/", {"language": "uk", "next": "/"})
    bad = "reference,category,quantity,weight,needed_by,priority\n"
    bad += "F-1,fpv,3,1,2099-01-01,urgent\nF-2,fpv,-4,1,2099-01-01,\n"
    upload = SimpleUploadedFile("needs.csv", bad.encode(), content_type="text/csv")
    before = counts(), Requirement.objects.count()
    response = client.post("/coalitions/drone-coalition/requirements/import/", {"file": upload})
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert (
        "needs.csv рядок 2, стовпець priority: має бути одним зі значень critical, high, normal"
        in page
    )
    assert "needs.csv рядок 3, стовпець quantity: має бути цілим числом, а не «-4»" in page
    assert (counts(), Requirement.objects.count()) == before


# -- No message escapes translation ------------------------------------------------------


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SRC.rglob("*.py"))]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _is_text(node: ast.expr) -> bool:
    """A literal English text: "…", f"…", or "…" + …, "…" % …, "…".format(…)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _is_text(node.func.value)
    return False


def test_no_row_error_is_built_from_bare_english_text() -> None:
    bare = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) == "RowError":
                given = [*node.args[3:4], *(k.value for k in node.keywords if k.arg == "message")]
                if any(_is_text(arg) for arg in given):
                    bare.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert bare == []


def test_every_message_template_is_marked_for_the_catalogues() -> None:
    unmarked = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) == "Message" and node.args:
                first = node.args[0]
                if _is_text(first):  # Message("…") would never reach a catalogue
                    unmarked.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert unmarked == []


def _templates() -> set[str]:
    """Every template marked with coalition.errors' `_` or `ngettext` in the source."""
    found = set()
    for _path, tree in _modules():
        marks = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "coalition.errors"
            for alias in node.names
            if alias.name in ("_", "ngettext")
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in marks
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("language", ["fr", "uk"])
def test_every_message_template_has_a_translation(language: str) -> None:
    translated = set()
    catalogues = [
        *SRC.glob(f"*/locale/{language}/LC_MESSAGES/django.po"),
        *SRC.glob(f"locale/{language}/LC_MESSAGES/django.po"),
    ]
    for po in catalogues:
        translated |= {e.msgid for e in polib.pofile(str(po)).translated_entries()}
    templates = _templates()
    assert len(templates) > 90
    assert sorted(templates - translated) == []
