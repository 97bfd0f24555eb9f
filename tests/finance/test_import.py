"""The pledge file (CONTRACT.md): every error class with its exact message, nothing
written on error, CSV and XLSX, idempotent re-import, forward-only status."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coalition.cli import main
from coalition.errors import FileRejected
from coalition.finance.models import Contribution, LedgerTransaction
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from tests.finance.conftest import HEADER, csv_bytes, xlsx_bytes
from tests.finance.helpers import counts
from tests.helpers import TEST

pytestmark = pytest.mark.django_db

GOOD = "A-1,2024-03-04,SE,national,pledged,1000000.00,SEK,tactical-recon,UA,first pledge"


def rejected(coalition: Coalition, data: bytes, name: str = "pledges.csv") -> list[str]:
    """The error lines of a refused import; asserts that nothing was written."""
    before = counts()
    with pytest.raises(FileRejected) as caught:
        pledges_import(actor=TEST, coalition=coalition, data=data, name=name)
    assert counts() == before
    return [str(e) for e in caught.value.errors]


ROW_ERRORS = [
    (",2024-03-04,SE,national,pledged,10,EUR,,,", "column reference: is required"),
    ("A,2024-03-04,,national,pledged,10,EUR,,,", "column donor: is required"),
    ("A,2024-03-04,SE,national,pledged,,EUR,,,", "column amount: is required"),
    (
        "A,04/03/2024,SE,national,pledged,10,EUR,,,",
        "column date: must be an ISO date (YYYY-MM-DD), not '04/03/2024'",
    ),
    (
        "A,2024-02-30,SE,national,pledged,10,EUR,,,",
        "column date: must be an ISO date (YYYY-MM-DD), not '2024-02-30'",
    ),
    (
        "A,2024-03-04,XX,national,pledged,10,EUR,,,",
        "column donor: 'XX' is not an ISO 3166-1 alpha-2 country code",
    ),
    (
        "A,2024-03-04,SE,fund,pledged,10,EUR,,,",
        "column channel: must be one of common-fund, national, industry, not 'fund'",
    ),
    (
        "A,2024-03-04,SE,national,paid,10,EUR,,,",
        "column status: must be one of pledged, committed, disbursed, not 'paid'",
    ),
    ("A,2024-03-04,SE,national,pledged,0,EUR,,,", "column amount: must be greater than zero"),
    ("A,2024-03-04,SE,national,pledged,-5,EUR,,,", "column amount: must be greater than zero"),
    (
        'A,2024-03-04,SE,national,pledged,"1,000.00",EUR,,,',
        "column amount: must be written with '.' as the decimal mark and no thousands "
        "separator, not '1,000.00' (e.g. 1234.56)",
    ),
    (
        "A,2024-03-04,SE,national,pledged,10.001,EUR,,,",
        "column amount: EUR allows at most 2 decimal places",
    ),
    (
        "A,2024-03-04,SE,national,pledged,10.5,JPY,,,",
        "column amount: JPY allows at most 0 decimal places",
    ),
    (
        "A,2024-03-04,SE,national,pledged,10,EURO,,,",
        "column currency: 'EURO' is not an ISO 4217 currency code",
    ),
    (
        "A,2024-03-04,SE,national,pledged,10,EUR,Tactical Recon,,",
        "column category: must be a slug of lower-case letters, digits and hyphens "
        "(e.g. tactical-recon)",
    ),
    (
        "A,2024-03-04,SE,national,pledged,10,EUR,,Ukraine,",
        "column origin: 'Ukraine' is not an ISO 3166-1 alpha-2 country code",
    ),
    (
        "A,2024-03-01,UA,industry,pledged,1000,UAH,,UA,",
        "column currency: no EUR reference rate for UAH on or before 2024-03-01 "
        "(add one with `coalition rates add UAH DATE RATE`)",
    ),
    (
        "A,2024-06-03,NO,industry,pledged,10,NOK,,UA,",
        "column donor: NO is not a member of drone-coalition on 2024-06-03",
    ),
    (
        "A,2025-06-03,TR,national,pledged,10,EUR,,,",
        "column donor: TR is not a member of drone-coalition on 2025-06-03",
    ),
    (
        "A,2099-01-04,SE,national,disbursed,10,EUR,,,",
        "column date: a disbursed step cannot be dated in the future",
    ),
    ("A,2024-03-04,SE,national,pledged,10,EUR,,,,extra", "more values than columns"),
]


@pytest.mark.parametrize(("row", "message"), ROW_ERRORS)
def test_each_row_error_names_file_row_and_column(demo: Coalition, row: str, message: str) -> None:
    """The bad row is the file's third (the header is row 1, a good row is row 2)."""
    errors = rejected(demo, csv_bytes(GOOD, row))
    where = "pledges.csv row 3, " if message.startswith("column") else "pledges.csv row 3: "
    assert errors == [where + message]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "pledges.csv", "pledges.csv: the file is empty: a header row is required"),
        (csv_bytes(), "pledges.csv", "pledges.csv: no rows after the header"),
        (b"\xff\xfe\x00bad", "pledges.csv", "pledges.csv: not UTF-8 text"),
        (csv_bytes(GOOD), "pledges.txt", "pledges.txt: must be a .csv or .xlsx file"),
        (b"PK not really", "pledges.xlsx", "pledges.xlsx: not a readable .xlsx workbook"),
        (
            csv_bytes(GOOD, header=HEADER.replace(",amount", "")),
            "pledges.csv",
            "pledges.csv row 1, column amount: missing column",
        ),
        (
            csv_bytes(GOOD + ",red", header=HEADER + ",colour"),
            "pledges.csv",
            "pledges.csv row 1, column colour: unknown column (the columns are: reference, "
            "date, donor, channel, status, amount, currency, category, origin, note)",
        ),
        (
            csv_bytes(GOOD + ",x", header=HEADER + ",note"),
            "pledges.csv",
            "pledges.csv row 1, column note: the column appears twice",
        ),
    ],
)
def test_file_level_errors(demo: Coalition, data: bytes, name: str, message: str) -> None:
    assert rejected(demo, data, name) == [message]


def test_every_error_of_a_file_is_reported_at_once(demo: Coalition) -> None:
    errors = rejected(
        demo,
        csv_bytes(
            GOOD,
            "B,2024-03-04,SE,national,pledged,0,EUR,,,",
            "C,2024-03-04,XX,fund,pledged,10,EUR,,,",
            "D,2024-06-03,NO,industry,pledged,10,NOK,,UA,",
        ),
    )
    assert errors == [
        "pledges.csv row 3, column amount: must be greater than zero",
        "pledges.csv row 4, column donor: 'XX' is not an ISO 3166-1 alpha-2 country code",
        "pledges.csv row 4, column channel: must be one of common-fund, national, industry, "
        "not 'fund'",
        "pledges.csv row 5, column donor: NO is not a member of drone-coalition on 2024-06-03",
    ]


def test_a_reference_twice_with_the_same_status_is_refused(demo: Coalition) -> None:
    assert rejected(demo, csv_bytes(GOOD, GOOD.replace("1000000.00", "5"))) == [
        "pledges.csv row 3, column status: contribution A-1 is pledged twice (first in row 2)"
    ]


def test_a_good_csv_is_imported_and_the_same_file_again_changes_nothing(demo: Coalition) -> None:
    data = csv_bytes(
        GOOD,
        "A-1,2024-04-02,SE,national,committed,900000.00,SEK,tactical-recon,UA,",
        "B-1,2024-12-25,GB,common-fund,disbursed,250000,GBP,,,",
    )
    result = pledges_import(actor=TEST, coalition=demo, data=data, name="pledges.csv")
    assert result.changed and result.contributions == 2 and len(result.steps) == 5
    a = Contribution.objects.get(reference="A-1")
    assert (a.status, a.donor_id, a.category_id, a.origin, a.note) == (
        "committed",
        "SE",
        "tactical-recon",
        "UA",
        "first pledge",
    )
    steps = {s.status: s for s in a.steps.all()}
    assert steps["pledged"].amount == Decimal("1000000.00")
    assert steps["committed"].date == date(2024, 4, 2)
    b = Contribution.objects.get(reference="B-1")
    # First seen as disbursed: it counts as pledged and committed on that date too.
    assert [(s.status, s.date, s.implied) for s in b.steps.order_by("id")] == [
        ("pledged", date(2024, 12, 25), True),
        ("committed", date(2024, 12, 25), True),
        ("disbursed", date(2024, 12, 25), False),
    ]
    before = counts()
    again = pledges_import(actor=TEST, coalition=demo, data=data, name="pledges.csv")
    assert not again.changed
    assert counts() == before  # no rows, no postings, no audit event


def test_an_xlsx_file_imports_like_the_csv(demo: Coalition) -> None:
    data = xlsx_bytes(
        [
            ["X-1", date(2024, 3, 4), "SE", "national", "pledged", 1000000, "SEK", "", "", ""],
            [
                "X-2",
                "2024-12-25",
                "GB",
                "common-fund",
                "committed",
                250000.5,
                "GBP",
                None,
                "UA",
                "n",
            ],
        ]
    )
    result = pledges_import(actor=TEST, coalition=demo, data=data, name="pledges.xlsx")
    assert result.contributions == 2
    x2 = Contribution.objects.get(reference="X-2")
    assert x2.steps.get(status="committed").amount == Decimal("250000.50")
    assert x2.origin == "UA"
    before = counts()
    assert not pledges_import(actor=TEST, coalition=demo, data=data, name="pledges.xlsx").changed
    assert counts() == before


def test_xlsx_errors_name_the_sheet_row_and_column(demo: Coalition) -> None:
    data = xlsx_bytes(
        [
            ["X-1", date(2024, 3, 4), "SE", "national", "pledged", 1000000, "SEK", "", "", ""],
            ["X-2", "tomorrow", "GB", "common-fund", "committed", -3, "GBP", None, None, None],
        ]
    )
    assert rejected(demo, data, "pledges.xlsx") == [
        "pledges.xlsx row 3, column date: must be an ISO date (YYYY-MM-DD), not 'tomorrow'",
        "pledges.xlsx row 3, column amount: must be greater than zero",
    ]


def _import(coalition: Coalition, *rows: str) -> None:
    pledges_import(actor=TEST, coalition=coalition, data=csv_bytes(*rows), name="p.csv")


def test_status_moves_forward_only(demo: Coalition) -> None:
    _import(demo, "F-1,2024-03-04,SE,national,committed,100,EUR,,,")
    assert rejected(demo, csv_bytes("F-1,2024-02-01,SE,national,pledged,80,EUR,,,")) == [
        "pledges.csv row 2, column status: contribution F-1 is already committed "
        "(since 2024-03-04); status moves forward only: pledged → committed → disbursed"
    ]
    # Restating a step as recorded (here the implied pledge) changes nothing.
    before = counts()
    _import(demo, "F-1,2024-03-04,SE,national,pledged,100,EUR,,,")
    assert counts() == before
    assert rejected(demo, csv_bytes("F-1,2024-03-01,SE,national,disbursed,100,EUR,,,")) == [
        "pledges.csv row 2, column date: disbursed on 2024-03-01 would be before committed "
        "on 2024-03-04"
    ]
    _import(demo, "F-1,2024-05-02,SE,national,disbursed,100,EUR,,,")
    assert Contribution.objects.get(reference="F-1").status == "disbursed"


def test_a_contribution_keeps_its_donor_channel_and_earmark(demo: Coalition) -> None:
    _import(demo, "G-1,2024-03-04,SE,national,pledged,100,EUR,tactical-recon,,")
    assert rejected(demo, csv_bytes("G-1,2024-04-04,DK,common-fund,committed,100,EUR,fpv,UA,")) == [
        "pledges.csv row 2, column donor: contribution G-1 is recorded with donor SE; "
        "it cannot change to DK",
        "pledges.csv row 2, column channel: contribution G-1 is recorded with channel national; "
        "it cannot change to common-fund",
        "pledges.csv row 2, column category: contribution G-1 is recorded with category "
        "tactical-recon; it cannot change to fpv",
        "pledges.csv row 2, column origin: contribution G-1 is recorded with origin (none); "
        "it cannot change to UA",
    ]


def test_restating_the_current_step_with_other_values_corrects_it_by_reversal(
    demo: Coalition,
) -> None:
    _import(demo, "H-1,2024-03-04,SE,national,disbursed,100.00,EUR,,,")
    first = Contribution.objects.get(reference="H-1").steps.get(status="disbursed")
    _import(demo, "H-1,2024-03-05,SE,national,disbursed,120.00,EUR,,,")
    step = Contribution.objects.get(reference="H-1").steps.get(status="disbursed")
    assert (step.amount, step.date, step.revision) == (Decimal("120.00"), date(2024, 3, 5), 1)
    reversal = LedgerTransaction.objects.get(reverses_id=first.transaction_id)
    assert reversal.idempotency_key.endswith("~reversal") and reversal.date == date(2024, 3, 4)
    before = counts()
    _import(demo, "H-1,2024-03-05,SE,national,disbursed,120.00,EUR,,,")
    assert counts() == before


def test_a_correction_cannot_take_back_money_already_spent(demo: Coalition) -> None:
    from coalition.finance.services.funds import fund_obligate

    _import(demo, "S-1,2024-03-04,SE,national,disbursed,100.00,EUR,,,")
    fund = Contribution.objects.get(reference="S-1").fund
    fund_obligate(
        actor=TEST, fund=fund, amount=Decimal(80), currency="EUR", on=date(2024, 4, 1), key="o-1"
    )
    errors = rejected(demo, csv_bytes("S-1,2024-03-04,SE,national,disbursed,50.00,EUR,,,"))
    assert len(errors) == 1 and errors[0].startswith(
        "pledges.csv row 2, column amount: the fund has already spent that money:"
    )


def test_the_cli_imports_exits_2_on_bad_input_and_0_on_a_replay(
    demo: Coalition, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_file("pledges.csv", csv_bytes(GOOD))
    assert main(["pledges", "import", str(good)]) == 0
    assert "pledges.csv: 1 rows, 1 steps recorded for 1 contributions" in capsys.readouterr().out
    assert main(["pledges", "import", str(good), "--coalition", "drone-coalition"]) == 0
    assert "nothing to change" in capsys.readouterr().out
    bad = write_file("bad.csv", csv_bytes("B,2024-03-04,SE,national,pledged,0,EUR,,,"))
    before = counts()
    assert main(["pledges", "import", str(bad)]) == 2
    assert "bad.csv row 2, column amount: must be greater than zero" in capsys.readouterr().err
    assert counts() == before
    assert main(["pledges", "import", str(good), "--coalition", "nope"]) == 2
    assert "no coalition with slug 'nope'" in capsys.readouterr().err
    assert main(["pledges", "import", "/nonexistent.csv"]) == 2


def test_the_category_of_an_earmark_is_a_capability_category(demo: Coalition) -> None:
    data = csv_bytes("A-9,2024-03-04,SE,national,pledged,10.00,EUR,drone-soup,,")
    with pytest.raises(FileRejected) as refused:
        pledges_import(actor=TEST, coalition=demo, data=data, name="p.csv")
    [error] = refused.value.errors
    assert (error.row, error.column, error.message) == (
        2,
        "category",
        "'drone-soup' is not a capability category of the platform",
    )
