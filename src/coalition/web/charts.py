"""Plotly figures rendered to HTML fragments; the page loads plotly.js from the platform."""

from typing import Any

import plotly.graph_objects as go


def render(figure: go.Figure, *, height: int = 420) -> str:
    figure.update_layout(
        height=height,
        margin={"l": 40, "r": 20, "t": 40, "b": 40},
        template="plotly_white",
        font={"family": "system-ui, sans-serif"},
    )
    html: str = figure.to_html(
        include_plotlyjs=False, full_html=False, config={"displaylogo": False, "responsive": True}
    )
    return html


def timeline(rows: list[dict[str, Any]], *, title: str) -> str:
    """Horizontal bars from each row's `start` to its `end`, one line per `label`."""
    figure = go.Figure()
    for row in rows:
        figure.add_trace(
            go.Scatter(
                x=[row["start"], row["end"]],
                y=[row["label"], row["label"]],
                mode="lines+markers",
                line={"width": 10, "color": row.get("color", "#1f5fa8")},
                marker={"size": 8},
                name=row["label"],
                hovertext=row.get("hover", ""),
                hoverinfo="text",
                showlegend=False,
            )
        )
    figure.update_layout(title=title, yaxis={"autorange": "reversed"})
    return render(figure, height=max(300, 28 * len(rows) + 120))
