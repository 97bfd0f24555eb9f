"""Plotly figures rendered to HTML fragments with no inline script: each chart is an empty
`div` and its figure as a JSON data block, which coalition/charts.js draws once it has
loaded plotly.js after the page (web/_plotly.html), so the page shows and is usable first."""

from typing import Any
from uuid import uuid4

import plotly.graph_objects as go
import plotly.io as pio
from django.utils import translation
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

# Every figure starts from this template (set before any is made): a figure made with the
# default one and given "plotly_white" later copied and validated both, 46 ms a chart
# instead of 12 (the plan page draws four).
pio.templates.default = "plotly_white"

CONFIG = {"displaylogo": False, "responsive": True}
# Plotly names months and days in English unless given a locale; the long names come from
# Django's catalogues, the short ones (which Django abbreviates to three letters, "jui" for
# both June and July) from CLDR.
SHORT_MONTHS = {
    "fr": [
        *("janv.", "févr.", "mars", "avr.", "mai", "juin"),
        *("juil.", "août", "sept.", "oct.", "nov.", "déc."),
    ],
    "uk": [
        *("січ.", "лют.", "бер.", "квіт.", "трав.", "черв."),  # noqa: RUF001
        *("лип.", "серп.", "вер.", "жовт.", "лист.", "груд."),
    ],
}
MARGIN = {"l": 40, "r": 20, "t": 40, "b": 40}
FONT = {"family": "system-ui, sans-serif"}
# Inside <script> the JSON must not close the element or open a comment: escaped, as in
# Django's json_script (these characters only occur inside JSON strings).
_SCRIPT_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


def render(figure: go.Figure, *, height: int = 420) -> str:
    from plotly.io.json import to_json_plotly

    spec = figure.to_plotly_json()
    # What figure.update_layout(height=..., margin=..., font=...) would set, written into
    # the plain layout instead: plotly's validation of it cost about 5 ms a chart.
    layout = spec["layout"]
    layout["height"] = height
    layout["margin"] = {**MARGIN, **layout.get("margin", {})}  # a figure may ask for more
    layout["font"] = {**layout.get("font", {}), **FONT}
    data = to_json_plotly({"data": spec["data"], "layout": layout, "config": chart_config()})
    chart_id = str(uuid4())
    return str(
        format_html(
            '<div class="plotly-graph-div" id="{}" style="height:{}px; width:100%;"></div>'
            '<script type="application/json" data-plotly="{}">{}</script>',
            chart_id,
            height,
            chart_id,
            SafeString(data.translate(_SCRIPT_SAFE)),
        )
    )


def chart_config() -> dict[str, Any]:
    """The plot's configuration in the reader's language: month and day names, the decimal
    and thousands separators of the pages' own figures."""
    language = translation.get_language() or "en"
    if language not in SHORT_MONTHS:
        return CONFIG
    days = [str(WEEKDAYS[(i + 6) % 7]) for i in range(7)]  # plotly starts on Sunday
    locale = {
        "format": {
            "months": [str(MONTHS[m]) for m in range(1, 13)],
            "shortMonths": SHORT_MONTHS[language],
            "days": days,
            "shortDays": [d[:3] for d in days],
            "decimal": get_format("DECIMAL_SEPARATOR"),
            "thousands": get_format("THOUSAND_SEPARATOR"),
            "date": "%d/%m/%Y" if language == "fr" else "%d.%m.%Y",
            "year": "%Y",
            "month": "%b %Y",
            "dayMonth": "%-d %b",
            "dayMonthYear": "%-d %b %Y",
        }
    }
    return {**CONFIG, "locale": language, "locales": {language: locale}}


def timeline(rows: list[dict[str, Any]], *, title: str) -> str:
    """Horizontal bars from each row's `start` to its `end`, one line per `label`, in the
    rows' order. One trace per colour, its bars apart (None between them): a trace per row
    cost 3 ms each in plotly's Python (60 ms for the coalition's members)."""
    colours: dict[str, dict[str, list[Any]]] = {}
    for row in rows:
        trace = colours.setdefault(row.get("color", "#1f5fa8"), {"x": [], "y": [], "text": []})
        trace["x"] += [row["start"], row["end"], None]
        trace["y"] += [row["label"], row["label"], None]
        trace["text"] += [row.get("hover", ""), row.get("hover", ""), None]
    figure = go.Figure(
        [
            go.Scatter(
                x=trace["x"],
                y=trace["y"],
                mode="lines+markers",
                line={"width": 10, "color": colour},
                marker={"size": 8},
                hovertext=trace["text"],
                hoverinfo="text",
                showlegend=False,
            )
            for colour, trace in colours.items()
        ]
    )
    order = list(dict.fromkeys(row["label"] for row in rows))
    figure.update_layout(
        title=title,
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": order},
    )
    return render(figure, height=max(300, 28 * len(order) + 120))
