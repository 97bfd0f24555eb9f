"""Tables shown on the report pages, each exportable as CSV or XLSX as shown:
`?export=csv|xlsx&table=NAME` on the page that shows it."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coalition.tabular import neutralise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    name: str  # the `table=` of the export link
    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    counts: set[int] = field(default_factory=set)  # whole numbers shown grouped (1,000)
    # What the export holds when the page shows a narrower table (every column, as numbers).
    full: "Table | None" = None

    def cells(self) -> list[list[tuple[str, bool]]]:
        """The rows as shown: numbers grouped the reader's way, dates in ISO."""
        return [
            [(_display(v, grouped=i in self.counts), i in self.numeric) for i, v in enumerate(r)]
            for r in self.rows
        ]


def _display(value: object, *, grouped: bool = False) -> str:
    if value is None:
        return ""
    if grouped and isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, force_grouping=True)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell(value: object) -> object:
    """The value as exported: numbers and dates as such, text never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, Decimal | date | int | float):
        return value
    return neutralise(str(value))


def _xlsx_cell(value: object) -> object:
    cell = _cell(value)
    if isinstance(cell, str):
        return "".join(" " if c < " " and c not in "\t\n\r" else c for c in cell)
    return cell


def sheet_write(sheet: Any, table: Table) -> None:
    """The table's header and rows into an XLSX sheet. Decimal is kept as a number (openpyxl
    writes it with full precision); control characters, which XLSX cannot hold, become
    spaces."""
    sheet.append([_xlsx_cell(c) for c in table.columns])
    for row in table.rows:
        sheet.append([_xlsx_cell(v) for v in row])


def export(table: Table, fmt: str, *, prefix: str) -> HttpResponse:
    """The table as a download: `fmt` is csv or xlsx."""
    table = table.full or table
    filename = f"{slugify(prefix)}-{table.name}"
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = table.name[:31]
        sheet_write(sheet, table)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def table_response(
    request: HttpRequest, template: str, context: dict[str, object], tables: list[Table]
) -> HttpResponse:
    fmt = request.GET.get("export")
    if fmt:
        wanted = {t.name: t for t in tables}.get(request.GET.get("table", ""))
        if wanted is None or fmt not in ("csv", "xlsx"):
            raise Http404(_("no such table or format"))
        return export(wanted, fmt, prefix=str(context.get("prefix", "finance")))
    context["tables"] = {t.name: t for t in tables}
    return render(request, template, context)
