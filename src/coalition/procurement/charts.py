"""Charts of a plan: coverage, spend per fund, deliveries over time, pooled vs the rest.

Every series has at most `MAX_POINTS` points, whatever the scenario's horizon or size:
days are sampled, and past that many bars the smallest are summed into one "others" bar.
"""

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from coalition.optimizer.plan import Plan
from coalition.optimizer.scenario import Scenario
from coalition.web.charts import render

MAX_POINTS = 200
MAX_SUPPLIERS = 12  # lines in the deliveries chart; the rest are summed into "others"
Rows = dict[str, tuple[float, ...]]  # label -> figures, in display order


def _top(rows: Rows, limit: int) -> Rows:
    """`rows` with at most `limit` entries: the largest by the sum of their figures keep
    their place, the rest are summed into one last entry."""
    if len(rows) <= limit:
        return rows
    keep = set(sorted(rows, key=lambda label: -sum(rows[label]))[: limit - 1])
    rest = [figures for label, figures in rows.items() if label not in keep]
    others = tuple(sum(column) for column in zip(*rest, strict=True))
    kept = {label: figures for label, figures in rows.items() if label in keep}
    return kept | {_("others (%(count)s)") % {"count": len(rest)}: others}


def sample_days(last: int, limit: int = MAX_POINTS) -> list[int]:
    """At most `limit` days from 0 to `last`, evenly spread, both ends included."""
    if last <= 0:
        return [0]
    step = max(1, -(-last // (limit - 1)))  # ceiling division
    days = list(range(0, last, step))
    return [*days, last]


def _bars(rows: Rows, names: Sequence[str], colours: Sequence[str]) -> go.Figure:
    labels = list(rows)
    return go.Figure(
        [
            go.Bar(name=name, x=labels, y=[rows[label][i] for label in labels], marker_color=colour)
            for i, (name, colour) in enumerate(zip(names, colours, strict=True))
        ]
    )


def coverage(plan: Plan) -> str:
    rows: Rows = {row.requirement: (row.covered, row.missing) for row in plan.coverage}
    figure = _bars(_top(rows, MAX_POINTS), [_("covered"), _("not covered")], ["#2a8a4a", "#d9dde3"])
    figure.update_layout(barmode="stack", title=_("Coverage per requirement (units)"))
    return render(figure, height=360)


def fund_spend(plan: Plan, scenario: Scenario) -> str:
    paid = plan.paid_by_fund()
    rows: Rows = {}
    for fund in scenario.funds:
        spent = paid.get(fund.id, Decimal(0))
        rows[fund.id] = (float(spent), float(fund.amount - spent))
    figure = _bars(_top(rows, MAX_POINTS), [_("spent"), _("left")], ["#1f5fa8", "#d9dde3"])
    figure.update_layout(barmode="stack", title=_("Spend per fund") + f" ({plan.currency})")
    return render(figure, height=360)


def deliveries(plan: Plan, scenario: Scenario) -> str:
    """Cumulative units each supplier can have delivered, over time, for what was ordered."""
    offers = {offer.id: offer for offer in scenario.offers}
    last = max((scenario.day(r.needed_by) for r in scenario.requirements), default=0)
    days = sample_days(last)
    per_supplier: Rows = {}
    for order in plan.orders:
        offer = offers[order.offer]
        line = [min(order.quantity, offer.deliverable(day)) for day in days]
        before = per_supplier.get(offer.supplier, (0.0,) * len(days))
        per_supplier[offer.supplier] = tuple(a + b for a, b in zip(before, line, strict=True))
    dates = [scenario.start + timedelta(days=day) for day in days]
    figure = go.Figure(
        [
            go.Scatter(x=dates, y=list(ys), name=name, mode="lines")
            for name, ys in _top(dict(sorted(per_supplier.items())), MAX_SUPPLIERS).items()
        ]
    )
    figure.update_layout(title=_("Units delivered per supplier over time (at full capacity)"))
    return render(figure, height=360)


def comparison(plan: Plan, baseline: Plan | None) -> str:
    names = [_("pooled (optimiser)")]
    values = [float(plan.value)]
    costs = [float(plan.cost)]
    if plan.separate is not None:
        names.append(_("each fund alone"))
        values.append(float(plan.separate.value))
        costs.append(float(plan.separate.cost))
    if baseline is not None:
        names.append(_("spreadsheet (greedy)"))
        values.append(float(baseline.value))
        costs.append(float(baseline.cost))
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
