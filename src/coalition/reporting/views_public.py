"""The public transparency page of a coalition (no login) and the download of its whole
public dataset: a zip of one CSV per table, or one XLSX workbook of one sheet per table,
each with its methodology note (README)."""

import csv
import io
import zipfile
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coalition.access.actor import actor_of
from coalition.access.policy import require
from coalition.api_cache import cached_value
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_get
from coalition.reporting.public import PublicData, member_changes, public_data
from coalition.reporting.selectors import public_page_version
from coalition.reporting.tables import XLSX, Table, _cell, _xlsx_cell, sheet_write
from coalition.web.page_cache import anonymous_page


def methodology(data: PublicData) -> list[str]:
    """The note that goes with the download: what each table holds, where its figures
    come from, what is left out and why, and the date."""
    lines = [
        _("Public dataset of %(name)s") % {"name": data.coalition.name},
        _("Date: %(day)s") % {"day": data.as_of.isoformat()},
        "",
        _("Tables:"),
    ]
    about = {
        "members": _(
            "members over time: each membership record with its role, the day it began and "
            "the day it ended (empty while it lasts), and its source."
        ),
        "support_by_channel": _(
            "support per year by channel, in EUR, from the platform's double-entry ledger: "
            "each status step (pledged, committed, disbursed) counts in the year of its date, "
            "converted at the ECB reference rate of that date."
        ),
        "support_by_category": _(
            "the same support per year by capability category (the earmark), in EUR."
        ),
        "reported": _(
            "figures as the sources report them, at their level (often the whole coalition), "
            "with each source and its link; kept beside the ledger's figures, never split."
        ),
        "deliveries": _(
            "units ordered (in the year the order was signed), delivered (the year of "
            "delivery) and accepted by the beneficiary (the year of inspection), per category; "
            "cancelled orders are not counted."
        ),
        "suppliers": _("the same units per supplier and category, from the signed orders."),
        "paid": _("money paid to suppliers per year and currency, from the recorded payments."),
    }
    lines += [f"- {t.name}: {about.get(t.name, t.title)}" for t in data.tables]
    lines += ["", _("Left out:")] + [f"- {reason}" for reason in data.left_out]
    if data.illustrative:
        lines += [
            "",
            _(
                "Illustrative records: this database holds the demo's illustrative purchase "
                "exercise (source “demo-exercise”): its money, needs, suppliers and prices are "
                "invented. They are counted in the tables and labelled: the column "
                "“Illustrative” or “Includes illustrative records”; every delivery, supplier "
                "and payment belongs to the exercise."
            ),
        ]
    return lines


def _csv(table: Table) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return text.getvalue()


def download(data: PublicData, fmt: str) -> HttpResponse:
    name = f"{slugify(data.coalition.slug)}-public-{data.as_of.isoformat()}"
    note = "\n".join(methodology(data)) + "\n"
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        readme = book.active
        assert readme is not None
        readme.title = "README"
        for line in note.splitlines():
            readme.append([_xlsx_cell(line)])
        for table in data.tables:
            sheet_write(book.create_sheet(table.name[:31]), table)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", note)
        for table in data.tables:
            archive.writestr(f"{table.name}.csv", _csv(table))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-csv.zip"'
    return response


def members_chart(data: PublicData) -> str:
    import plotly.graph_objects as go  # loaded by the page that draws

    from coalition.web.charts import render as render_chart

    changes = member_changes(data.coalition)
    if changes:
        changes.append((data.as_of, changes[-1][1]))
    figure = go.Figure(
        go.Scatter(
            x=[d.isoformat() for d, _n in changes],
            y=[n for _d, n in changes],
            mode="lines+markers",
            line={"shape": "hv", "color": "#1f5fa8"},
            name=_("Members"),
        )
    )
    figure.update_layout(
        title=_("Members over time"), yaxis={"title": _("Members"), "rangemode": "tozero"}
    )
    return render_chart(figure, height=320)


def shown(table: Table, *, slug: str) -> dict[str, object]:
    """The table as the page shows it: the Source cell linked to the source's own address,
    or, where the source has none, to its entry in the coalition page's list of sources
    (title, publisher, date, note); the Link column itself is kept for the downloads."""
    link = table.columns.index(_("Link")) if _("Link") in table.columns else None
    source = table.columns.index(_("Source")) if link is not None else None
    sources = reverse("coalition", args=[slug]) + "#source-"
    rows = []
    for raw, cells in zip(table.rows, table.cells(), strict=True):
        row = []
        for i, (text, numeric) in enumerate(cells):
            if i == link:
                continue
            href = ""
            if i == source and link is not None and raw[i]:
                href = str(raw[link] or "") or f"{sources}{raw[i]}"
            row.append({"text": text, "numeric": numeric, "href": href})
        rows.append(row)
    columns = [c for i, c in enumerate(table.columns) if i != link]
    return {"name": table.name, "title": table.title, "columns": columns, "rows": rows}


def _version(request: HttpRequest, slug: str) -> str:
    return public_page_version(slug=slug)


# What the page hides is in its cache key: a flag set without its audit event still shows.
@anonymous_page("page.public", version=_version)
def public(request: HttpRequest, slug: str) -> HttpResponse:
    require(actor_of(request), "page.public")
    coalition = coalition_get(slug=slug)
    fmt = request.GET.get("download")
    if fmt:
        if fmt not in ("csv", "xlsx"):
            raise Http404(_("no such format"))
        return download(public_data(coalition=coalition), fmt)
    # The figures are the same for every visitor until the next write (coalition.api_cache);
    # a logged-in visitor's HTML is rendered each time, as it carries their name and
    # forms (an anonymous visitor's is cached whole: coalition.web.page_cache).
    hidden = f"{coalition.confidential_prices:d}{coalition.confidential_suppliers:d}"
    key = f"public-page:{coalition.pk}:{hidden}"
    figures = cached_value(key, lambda: _figures(coalition))
    return render(request, "reporting/public.html", {"coalition": coalition, **figures})


def _figures(coalition: Coalition) -> dict[str, Any]:
    data = public_data(coalition=coalition)
    tables = {t.name: t for t in data.tables}
    years = sorted({int(str(r[0])) for r in tables["support_by_channel"].rows})
    return {
        "data": data,
        "tables": {name: shown(t, slug=coalition.slug) for name, t in tables.items()},
        "members_chart": members_chart(data),
        "years": years,
        "summit_year": years[-1] if years else data.as_of.year,
    }


def summit_report(request: HttpRequest, slug: str) -> HttpResponse:
    """The summit report as a download (public figures only, like the page):
    `?year=YYYY&lang=en|fr|uk`, by default the latest year with figures and the reader's
    language."""
    from django.utils.translation import get_language

    from coalition.reporting.summit import FIRST_YEAR, LANGUAGES, LAST_YEAR, summit_pdf

    require(actor_of(request), "page.public")
    coalition = coalition_get(slug=slug)
    language = request.GET.get("lang") or (get_language() or "en")[:2]
    try:
        year = int(request.GET.get("year") or timezone_year())
    except ValueError:
        raise Http404(_("not a year")) from None
    if not FIRST_YEAR <= year <= LAST_YEAR or language not in LANGUAGES:
        raise Http404(_("no such year or language"))
    content = summit_pdf(coalition=coalition, year=year, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{slugify(coalition.slug)}-summit-{year}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def timezone_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
