"""`coalition deliveries import FILE [--coalition SLUG]` (docs/CONTRACT.md): the counts on
stdout and exit 0, the same file again writing nothing, and a refused file exiting 2 with
every error's file, row and column on stderr and nothing written."""

from pathlib import Path

import pytest

from coalition.cli import main
from coalition.governance.models import Coalition
from coalition.procurement.models import DeliveredItem
from tests.procurement.manifests import counts, day, manifest, rows_of, signed_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """`coalition ...` closes the connections when a command ends (see test_cli_imports)."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def test_an_import_prints_its_counts_and_a_second_run_writes_nothing(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = signed_order(demo)
    path = tmp_path / "lot-1.csv"
    path.write_bytes(manifest(*rows_of(order, 3)))
    assert main(["deliveries", "import", str(path)]) == 0
    assert capsys.readouterr().out.strip() == (
        "lot-1.csv: 3 rows, 3 items written, 0 already delivered"
    )
    assert DeliveredItem.objects.filter(order=order).count() == 3
    before = counts()
    assert main(["deliveries", "import", str(path), "--coalition", "drone-coalition"]) == 0
    assert capsys.readouterr().out.strip() == (
        "lot-1.csv: 3 rows, 0 items written, 3 already delivered"
    )
    assert counts() == before


def test_a_refused_manifest_exits_2_with_every_error_and_writes_nothing(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = signed_order(demo)
    path = tmp_path / "bad.csv"
    path.write_bytes(
        manifest(*rows_of(order, 2), f"SN-000001,{order.reference},{day(-1)},L1", "Q,PO-X,x,")
    )
    before = counts()
    assert main(["deliveries", "import", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "CommandError: bad.csv row 4, column serial: serial SN-000001 is also in row 2 of "
        "this file",
        "bad.csv row 5, column delivered_on: must be an ISO date (YYYY-MM-DD), not 'x'",
    ]
    assert counts() == before


def test_a_missing_file_and_an_unknown_coalition_exit_2(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deliveries", "import", "/nonexistent/m.csv"]) == 2
    assert "/nonexistent/m.csv: No such file or directory" in capsys.readouterr().err
    path = tmp_path / "m.csv"
    path.write_bytes(manifest())
    assert main(["deliveries", "import", str(path), "--coalition", "nope"]) == 2
    assert "no coalition with slug 'nope'" in capsys.readouterr().err


def test_the_usage_names_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "deliveries import FILE" in capsys.readouterr().out
