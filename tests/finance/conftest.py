"""Fixtures of the finance tests: pledge files written on the fly, a small coalition."""

from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest

HEADER = "reference,date,donor,channel,status,amount,currency,category,origin,note"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def xlsx_bytes(rows: list[list[object]], header: str = HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header.split(","))
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """`coalition ...` closes the database connections when a command ends; inside a
    test on PostgreSQL that would end the test's transaction, so keep them open."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
