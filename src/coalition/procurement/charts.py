"""Charts of a plan: coverage, spend per fund, deliveries over time, pooled vs the rest."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from coalition.web.charts import render


def coverage(plan: dict[str, Any]) -> str:
    rows = plan["coverage"]
    ids = [r["requirement"] for r in rows]
    figure = go.Figure(
        [
            go.Bar(
                name=_("covered"), x=ids, y=[r["covered"] for r in rows], marker_color="#2a8a4a"
            ),
            go.Bar(
                name=_("not covered"),
                x=ids,
                y=[r["quantity"] - r["covered"] for r in rows],
                marker_color="#d9dde3",
            ),
        ]
    )
    figure.update_layout(barmode="stack", title=_("Coverage per requirement (units)"))
    return render(figure, height=360)


def fund_spend(plan: dict[str, Any], scenario: dict[str, Any]) -> str:
    spent: dict[str, Decimal] = {}
    for payment in plan["payments"]:
        spent[payment["fund"]] = spent.get(payment["fund"], Decimal(0)) + Decimal(payment["amount"])
    funds = scenario["funds"]
    ids = [f["id"] for f in funds]
    used = [float(spent.get(f["id"], 0)) for f in funds]
    left = [float(Decimal(str(f["amount"])) - spent.get(f["id"], Decimal(0))) for f in funds]
    figure = go.Figure(
        [
            go.Bar(name=_("spent"), x=ids, y=used, marker_color="#1f5fa8"),
            go.Bar(name=_("left"), x=ids, y=left, marker_color="#d9dde3"),
        ]
    )
    figure.update_layout(barmode="stack", title=_("Spend per fund") + f" ({plan['currency']})")
    return render(figure, height=360)


def deliveries(plan: dict[str, Any], scenario: dict[str, Any]) -> str:
    """Cumulative units each supplier can have delivered, day by day, for what was ordered."""
    offers = {o["id"]: o for o in scenario["offers"]}
    start = date.fromisoformat(scenario["start"])
    horizon = max([date.fromisoformat(r["needed_by"]) for r in scenario["requirements"]] or [start])
    days = list(range(0, (horizon - start).days + 1, 3))
    per_supplier: dict[str, list[int]] = {}
    for order in plan["orders"]:
        offer = offers[order["offer"]]
        series = per_supplier.setdefault(offer["supplier"], [0] * len(days))
        for i, day in enumerate(days):
            can = offer["capacity_per_30_days"] * max(0, day - offer["lead_time_days"]) // 30
            series[i] += min(order["quantity"], can)
    figure = go.Figure(
        [
            go.Scatter(x=[start + timedelta(days=d) for d in days], y=y, name=name, mode="lines")
            for name, y in sorted(per_supplier.items())
        ]
    )
    figure.update_layout(title=_("Units delivered per supplier over time (at full capacity)"))
    return render(figure, height=360)


def comparison(plan: dict[str, Any], baseline: dict[str, Any] | None) -> str:
    names = [_("pooled (optimiser)")]
    values = [float(plan["value"])]
    costs = [float(plan["cost"])]
    if "separate" in plan:
        names.append(_("each fund alone"))
        values.append(float(plan["separate"]["value"]))
        costs.append(float(plan["separate"]["cost"]))
    if baseline is not None:
        names.append(_("spreadsheet (greedy)"))
        values.append(float(baseline["value"]))
        costs.append(float(baseline["cost"]))
    figure = go.Figure(
        [
            go.Bar(name=_("value"), x=names, y=values, marker_color="#2a8a4a", yaxis="y"),
            go.Bar(
                name=_("cost"), x=names, y=costs, marker_color="#c77c02", yaxis="y2", offsetgroup=1
            ),
        ]
    )
    figure.update_layout(
        title=_("Pooled against separate buying and the spreadsheet plan"),
        yaxis={"title": _("value")},
        yaxis2={"title": _("cost"), "overlaying": "y", "side": "right"},
        barmode="group",
    )
    return render(figure, height=380)
