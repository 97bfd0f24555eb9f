"""`coalition requirements import` and `coalition offers import` (docs/CONTRACT.md): the
summary with its counts, a replay that changes nothing, XLSX like CSV, a refused file
exiting 2 with each error's file, row and column and nothing written, the coalition and
the competition named wrongly, a closed competition, the usage, and `coalition --help`."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone

from coalition.audit.models import AuditEvent
from coalition.cli import main
from coalition.governance.models import Coalition
from coalition.procurement.models import Offer, OfferTier, Requirement, Supplier
from tests.procurement.purchase import purchase_setup

pytestmark = pytest.mark.django_db

NEEDS_HEADER = "reference,category,quantity,weight,needed_by,priority,note"
OFFERS_HEADER = (
    "offer,supplier,supplier_country,origin,category,min_quantity,unit_price,currency,"
    "capacity_per_30_days,lead_time_days,valid_until"
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """`coalition ...` closes the database connections when a command ends; inside a
    test on PostgreSQL that would end the test's transaction, so keep them open."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def written(tmp_path: Path, name: str, header: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def counts() -> dict[str, int]:
    """Rows of every table the two imports write to (and the audit log)."""
    return {
        "requirements": Requirement.objects.count(),
        "offers": Offer.objects.count(),
        "tiers": OfferTier.objects.count(),
        "suppliers": Supplier.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def needs_file(tmp_path: Path) -> Path:
    return written(
        tmp_path,
        "needs.csv",
        NEEDS_HEADER,
        f"R-1,tactical-recon,200,10,{in_days(90)},critical,first batch",
        f"R-2,fpv,500,2.5,{in_days(120)},,",
        f"R-3,interceptor,50,30,{in_days(60)},high,",
    )


def test_requirements_import_prints_the_counts_and_a_second_run_changes_nothing(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = needs_file(tmp_path)
    assert main(["requirements", "import", str(path)]) == 0
    assert capsys.readouterr().out.strip() == (
        "needs.csv: 3 rows, 3 requirements created, 0 unchanged"
    )
    r1 = Requirement.objects.get(coalition=demo, reference="R-1")
    assert (r1.category_id, r1.quantity, r1.priority, r1.note) == (
        "tactical-recon",
        200,
        "critical",
        "first batch",
    )
    assert AuditEvent.objects.filter(action="requirements.imported").count() == 1
    before = counts()
    assert main(["requirements", "import", str(path), "--coalition", "drone-coalition"]) == 0
    assert capsys.readouterr().out.strip() == (
        "needs.csv: 3 rows, nothing to change (3 requirements unchanged)"
    )
    assert counts() == before


def test_requirements_import_reads_an_xlsx_workbook(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(NEEDS_HEADER.split(","))
    needed_by = timezone.localdate() + timedelta(days=100)
    sheet.append(["X-1", "long-range", 12, 50, needed_by, "high", None])
    sheet.append(["X-2", "maritime", 3, 7.5, needed_by.isoformat(), None, "boats"])
    out = BytesIO()
    book.save(out)
    path = tmp_path / "needs.xlsx"
    path.write_bytes(out.getvalue())
    assert main(["requirements", "import", str(path)]) == 0
    assert capsys.readouterr().out.strip() == (
        "needs.xlsx: 2 rows, 2 requirements created, 0 unchanged"
    )
    x1 = Requirement.objects.get(coalition=demo, reference="X-1")
    assert (x1.quantity, x1.needed_by, x1.priority) == (12, needed_by, "high")
    assert main(["requirements", "import", str(path)]) == 0
    assert "nothing to change (2 requirements unchanged)" in capsys.readouterr().out


def test_a_bad_requirements_file_exits_2_naming_file_row_and_column_and_writes_nothing(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = written(
        tmp_path,
        "bad-needs.csv",
        NEEDS_HEADER,
        f"B-1,fpv,10,1,{in_days(30)},,",  # good, and not written either
        f"B-2,drone-soup,10,1,{in_days(30)},,",
        "B-3,fpv,zero,1,01/10/2026,,",
    )
    before = counts()
    assert main(["requirements", "import", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "bad-needs.csv row 3, column category: unknown category 'drone-soup'" in captured.err
    assert (
        "bad-needs.csv row 4, column needed_by: must be an ISO date (YYYY-MM-DD), not '01/10/2026'"
    ) in captured.err
    assert "bad-needs.csv row 4, column quantity: must be a whole number, not 'zero'" in (
        captured.err
    )
    assert counts() == before


def test_a_missing_file_exits_2(demo: Coalition, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["requirements", "import", "/nonexistent/needs.csv"]) == 2
    assert "/nonexistent/needs.csv: No such file or directory" in capsys.readouterr().err
    assert main(["offers", "import", "/nonexistent/offers.csv", "--competition", "TR-1"]) == 2
    assert "/nonexistent/offers.csv: No such file or directory" in capsys.readouterr().err


def test_an_unknown_coalition_exits_2_with_a_clear_message(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = needs_file(tmp_path)
    before = counts()
    assert main(["requirements", "import", str(path), "--coalition", "nope"]) == 2
    assert "no coalition with slug 'nope'" in capsys.readouterr().err
    offers = written(tmp_path, "offers.csv", OFFERS_HEADER, offer_row("D1", 1, "900.00"))
    args = ["offers", "import", str(offers), "--competition", "TR-1", "--coalition", "nope"]
    assert main(args) == 2
    assert "no coalition with slug 'nope'" in capsys.readouterr().err
    assert counts() == before


def offer_row(offer: str, min_quantity: int, price: str, supplier: str = "Dnipro Drones") -> str:
    return f"{offer},{supplier},UA,UA,tactical-recon,{min_quantity},{price},EUR,80,14,"


def test_offers_import_into_an_open_competition(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    purchase_setup(demo, close=False)  # TR-1, open, with offers A1, B1 and C1
    path = written(
        tmp_path,
        "offers.csv",
        OFFERS_HEADER,
        offer_row("D1", 1, "1400.00"),
        offer_row("D1", 200, "1100.00"),
        offer_row("E1", 1, "2000.00", supplier="Carpathian UAV"),
        # A1 as the competition holds it already: counted as unchanged
        "A1,Aerorozvidka Works,UA,UA,tactical-recon,1,1500.00,EUR,120,10,",
        "A1,Aerorozvidka Works,UA,UA,tactical-recon,100,1200.00,EUR,120,10,",
    )
    assert main(["offers", "import", str(path), "--competition", "TR-1"]) == 0
    assert capsys.readouterr().out.strip() == (
        "offers.csv: 5 rows, 2 offers recorded in competition TR-1, 1 unchanged"
    )
    d1 = Offer.objects.get(competition__coalition=demo, reference="D1")
    assert sorted(d1.tiers.values_list("min_quantity", "unit_price_minor")) == [
        (1, 140000),
        (200, 110000),
    ]
    assert d1.supplier.name == "Dnipro Drones" and d1.received_on == timezone.localdate()
    before = counts()
    args = ["offers", "import", str(path), "--competition", "TR-1", "--coalition", demo.slug]
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == (
        "offers.csv: 5 rows, nothing to change (3 offers unchanged)"
    )
    assert counts() == before


def test_a_bad_offers_file_exits_2_naming_file_row_and_column_and_writes_nothing(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    purchase_setup(demo, close=False)
    path = written(
        tmp_path,
        "bad-offers.csv",
        OFFERS_HEADER,
        offer_row("D1", 1, "1400.00"),  # good, and not written either
        "Z1,Zed,UA,UA,fpv,1,1500.00,USD,120,10,",
        "Z2,Zed Two,QQ,UA,tactical-recon,1,-3,EUR,120,10,",
    )
    before = counts()
    assert main(["offers", "import", str(path), "--competition", "TR-1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    for line in (
        "bad-offers.csv row 3, column category: competition TR-1 is for tactical-recon, not fpv",
        "bad-offers.csv row 3, column currency: competition TR-1 is in EUR, not USD",
        "bad-offers.csv row 4, column supplier_country: 'QQ' is not an ISO 3166-1 alpha-2 "
        "country code",
        "bad-offers.csv row 4, column unit_price: must be greater than zero",
    ):
        assert line in captured.err
    assert counts() == before


def test_offers_into_a_closed_competition_exit_2_as_not_open_and_write_nothing(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    purchase_setup(demo)  # TR-1 closed
    path = written(tmp_path, "late.csv", OFFERS_HEADER, offer_row("D1", 1, "1400.00"))
    before = counts()
    assert main(["offers", "import", str(path), "--competition", "TR-1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "competition TR-1 is closed: its offers are frozen" in captured.err
    assert counts() == before


def test_offers_into_an_unknown_competition_exit_2(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = written(tmp_path, "offers.csv", OFFERS_HEADER, offer_row("D1", 1, "1400.00"))
    assert main(["offers", "import", str(path), "--competition", "TR-9"]) == 2
    assert "no competition 'TR-9' in coalition 'drone-coalition'" in capsys.readouterr().err


def test_offers_import_without_a_competition_is_a_usage_error(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = written(tmp_path, "offers.csv", OFFERS_HEADER, offer_row("D1", 1, "1400.00"))
    before = counts()
    assert main(["offers", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "usage: coalition offers" in err
    assert "the following arguments are required: --competition" in err
    assert counts() == before


def test_coalition_help_lists_the_two_imports(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    lines = [line.split()[:3] for line in capsys.readouterr().out.splitlines()]
    assert ["requirements", "import", "FILE"] in lines
    assert ["offers", "import", "FILE"] in lines
