"""The finance pages' charts, drawn with plotly through coalition.web.charts."""

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from coalition.finance.models import ReportedFigure
from coalition.reporting.selectors import Figures
from coalition.web.charts import render

COLORS = {"pledged": "#9db9dc", "committed": "#1f5fa8", "disbursed": "#2a8a4a"}


def _labels() -> dict[str, str]:
    return {"pledged": _("pledged"), "committed": _("committed"), "disbursed": _("disbursed")}


def years(by_year: dict[int, Figures], reported: list[ReportedFigure], *, title: str) -> str:
    """Grouped bars per year (pledged, committed, disbursed), and the sources' reported
    figures as markers beside them."""
    figure = go.Figure()
    labels = _labels()
    x = [str(y) for y in by_year]
    for status, color in COLORS.items():
        figure.add_trace(
            go.Bar(
                x=x,
                y=[float(getattr(f, status)) for f in by_year.values()],
                name=labels[status],
                marker_color=color,
            )
        )
    shown = [r for r in reported if r.amount is not None and r.currency == "EUR"]
    symbols = ["diamond", "star", "triangle-up", "square", "cross", "x"]
    reported_label = _("reported")
    for index, kind in enumerate(dict.fromkeys(r.kind for r in shown)):
        rows = [r for r in shown if r.kind == kind]
        figure.add_trace(
            go.Scatter(
                x=[str(r.year) for r in rows],
                y=[float(r.amount or Decimal(0)) for r in rows],
                mode="markers",
                marker={"size": 13, "symbol": symbols[index % len(symbols)], "color": "#c77c02"},
                name=f"{reported_label}: {rows[0].get_kind_display()}",
                hovertext=[f"{r.description} [{r.source.key}]" for r in rows],
                hoverinfo="text+y",
            )
        )
    figure.update_layout(
        title=title,
        barmode="group",
        yaxis={"title": "EUR"},
        xaxis={"type": "category", "categoryorder": "category ascending"},
    )
    return render(figure, height=380)


def breakdown(groups: dict[str, Figures], *, title: str, empty_label: str) -> str:
    """Stacked horizontal bars of one year's figures by channel, category or member."""
    figure = go.Figure()
    labels = _labels()
    names = [k or empty_label for k in groups]
    for status, color in COLORS.items():
        figure.add_trace(
            go.Bar(
                y=names,
                x=[float(getattr(f, status)) for f in groups.values()],
                name=labels[status],
                orientation="h",
                marker_color=color,
            )
        )
    figure.update_layout(title=title, barmode="group", xaxis={"title": "EUR"})
    return render(figure, height=max(260, 60 * len(groups) + 140))
