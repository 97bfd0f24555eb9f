"""Charts of what arrives: deliveries over time against the plans' schedule. plotly is
imported when a chart is drawn, not when the page's module loads (tests/test_startup.py)."""

from datetime import date

from django.utils.translation import gettext as _

MAX_POINTS = 200  # as coalition.procurement.charts: at most this many points a series


def _sampled(points: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """At most MAX_POINTS points of a running total, the last one kept."""
    if len(points) <= MAX_POINTS:
        return points
    step = -(-len(points) // (MAX_POINTS - 1))
    return [*points[::step][: MAX_POINTS - 1], points[-1]]


def deliveries_against_schedule(
    delivered: list[tuple[date, int]], scheduled: list[tuple[date, int]]
) -> str:
    """Two running totals of units: what the orders' schedule says is due by each day,
    and what arrived (rejected items not counted). Empty when nothing is scheduled."""
    if not delivered and not scheduled:
        return ""
    import plotly.graph_objects as go

    from coalition.web.charts import render

    figure = go.Figure()
    for points, name, colour, shape in (
        (scheduled, _("due by the plans' schedule"), "#8a94a6", "hv"),
        (delivered, _("delivered (not rejected)"), "#1f5fa8", "hv"),
    ):
        sampled = _sampled(points)
        figure.add_trace(
            go.Scatter(
                x=[d.isoformat() for d, _n in sampled],
                y=[n for _d, n in sampled],
                name=name,
                mode="lines+markers",
                line={"color": colour, "shape": shape},
            )
        )
    figure.update_layout(
        yaxis={"rangemode": "tozero", "tickformat": ","},
        legend={"orientation": "h", "y": -0.2},
    )
    return render(figure, height=380)
