"""Template files to download beside an upload form: the file's header and one example
row, as CSV or XLSX, so a spreadsheet starts from the right columns. `?template=csv|xlsx`
on the upload page that accepts the file (a GET: nothing is written)."""

from collections.abc import Sequence

from django.http import Http404, HttpRequest, HttpResponse

from coalition.reporting.tables import Table, export

FORMATS = ("csv", "xlsx")


def wanted(request: HttpRequest) -> str | None:
    """The template format the request asks for, or None; a 404 for an unknown one."""
    fmt = request.GET.get("template")
    if fmt is None:
        return None
    if fmt not in FORMATS:
        raise Http404("no such template format")
    return fmt


def template_file(
    name: str, columns: Sequence[str], example: Sequence[object], fmt: str
) -> HttpResponse:
    """`name`-template.csv or .xlsx: the columns as the header, `example` as row 2."""
    table = Table("template", name, list(columns), [list(example)])
    return export(table, fmt, prefix=name)
