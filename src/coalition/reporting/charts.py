"""The finance pages' charts, drawn with plotly through coalition.web.charts."""

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.formats import get_format

from coalition.finance.models import ReportedFigure
from coalition.reporting.builders import status_labels
from coalition.reporting.selectors import Figures
from coalition.web.charts import render

COLORS = {"pledged": "#9db9dc", "committed": "#1f5fa8", "disbursed": "#2a8a4a"}


def _labels() -> dict[str, str]:
    """The statuses as the tables beside the charts name them."""
    return dict(zip(COLORS, status_labels(), strict=True))


def years(by_year: dict[int, Figures], *, title: str) -> str:
    """Grouped bars per year (pledged, committed, disbursed) of the ledger's own amounts;
    the sources' reported figures, often a thousand times larger, have their own chart."""
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
                hovertemplate="%{x}: € %{y:,.2f}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(
        title=title,
        barmode="group",
        separators=_separators(),
        yaxis={"tickformat": ",.3~s", "tickprefix": "€ ", "automargin": True},
        xaxis={"type": "category", "categoryorder": "category ascending"},
    )
    return render(figure, height=380)


def reported(figures: list[ReportedFigure], *, title: str) -> str | None:
    """The figures sources report in EUR, per year and kind, on their own scale; None when
    there is none to draw."""
    shown = [r for r in figures if r.amount is not None and r.currency == "EUR"]
    if not shown:
        return None
    figure = go.Figure()
    symbols = ["diamond", "star", "triangle-up", "square", "cross", "x"]
    for index, kind in enumerate(dict.fromkeys(r.kind for r in shown)):
        rows = [r for r in shown if r.kind == kind]
        figure.add_trace(
            go.Scatter(
                x=[str(r.year) for r in rows],
                y=[float(r.amount or Decimal(0)) for r in rows],
                mode="markers",
                marker={"size": 13, "symbol": symbols[index % len(symbols)], "color": "#c77c02"},
                name=str(rows[0].get_kind_display()),
                hovertext=[f"{r.description} [{r.source.key}]" for r in rows],
                hoverinfo="text+y",
            )
        )
    figure.update_layout(
        title=title,
        separators=_separators(),
        yaxis={"tickformat": ",.3~s", "tickprefix": "€ ", "automargin": True},
        xaxis={"type": "category", "categoryorder": "category ascending"},
    )
    return render(figure, height=340)


def breakdown(groups: dict[str, Figures], *, title: str, names: dict[str, str]) -> str:
    """Stacked horizontal bars of one year's figures by channel, category or member, each
    group named as the table beside it names it."""
    figure = go.Figure()
    labels = _labels()
    shown = [names.get(k, k) for k in groups]
    for status, color in COLORS.items():
        figure.add_trace(
            go.Bar(
                y=shown,
                x=[float(getattr(f, status)) for f in groups.values()],
                name=labels[status],
                orientation="h",
                marker_color=color,
                hovertemplate="%{y}: € %{x:,.2f}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(
        title=title,
        barmode="group",
        separators=_separators(),
        xaxis={"tickformat": ",.3~s", "tickprefix": "€ "},
        yaxis={"automargin": True},
    )
    return render(figure, height=max(260, 60 * len(groups) + 140))


def _separators() -> str:
    return f"{get_format('DECIMAL_SEPARATOR')}{get_format('THOUSAND_SEPARATOR')}"
