"""Charts of a plan: coverage, spend per fund, deliveries over time, pooled vs the rest.

Every series has at most `MAX_POINTS` points, whatever the scenario's horizon or size:
days are sampled, and past that many bars the smallest are summed into one "others" bar.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from coalition.optimizer.plan import Plan
from coalition.optimizer.scenario import Scenario
from coalition.procurement.views_format import SYMBOLS, money, number
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


def _separators() -> str:
    """Plotly's decimal and thousands marks the reader's way: "1,234.5" or "1 234,5"."""
    decimal = get_format("DECIMAL_SEPARATOR")
    thousands = get_format("THOUSAND_SEPARATOR")
    return f"{decimal}{thousands}"


@dataclass(frozen=True)
class Labels:
    """What people call a scenario's funds and requirements (the page's tables use the same
    names); an id without a name here is shown as itself."""

    funds: Mapping[str, str] = field(default_factory=dict)
    requirements: Mapping[str, str] = field(default_factory=dict)

    def fund(self, sid: str) -> str:
        return self.funds.get(sid, sid)

    def requirement(self, rid: str) -> str:
        return self.requirements.get(rid, rid)


def coverage(plan: Plan, labels: Labels | None = None) -> str:
    labels = labels or Labels()
    rows: Rows = {
        labels.requirement(row.requirement): (row.covered, row.missing) for row in plan.coverage
    }
    figure = _bars(_top(rows, MAX_POINTS), [_("covered"), _("not covered")], ["#2a8a4a", "#d9dde3"])
    figure.update_layout(barmode="stack", title=_("Coverage per requirement (units)"))
    return render(figure, height=360)


def fund_spend(plan: Plan, scenario: Scenario, labels: Labels | None = None) -> str:
    labels = labels or Labels()
    paid = plan.paid_by_fund()
    rows: Rows = {}
    for fund in scenario.funds:
        spent = paid.get(fund.id, Decimal(0))
        label = labels.fund(fund.id)
        label = f"{label} ({fund.id})" if label in rows else label  # two funds of one name
        rows[label] = (float(spent), float(fund.amount - spent))
    figure = _bars(_top(rows, MAX_POINTS), [_("spent"), _("left")], ["#1f5fa8", "#d9dde3"])
    symbol = SYMBOLS.get(plan.currency, plan.currency)
    figure.update_traces(hovertemplate=f"%{{x}}: {symbol}\u00a0%{{y:,.2f}}")
    figure.update_yaxes(tickformat=",.3~s", tickprefix=f"{symbol}\u00a0", automargin=True)
    figure.update_layout(
        barmode="stack",
        title=_("Spend per fund") + f" ({plan.currency})",
        separators=_separators(),
    )
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
    """Value and cost of the pooled plan against each fund alone and the spreadsheet's plan,
    on two panels (value in units weighted by need, cost in the plan's currency), so no bar
    hides another; amounts are written the reader's way on the bars and in the hover."""
    from plotly.subplots import make_subplots

    names = [_("pooled (optimiser)")]
    values = [plan.value]
    costs = [plan.cost]
    if plan.separate is not None:
        names.append(_("each fund alone"))
        values.append(plan.separate.value)
        costs.append(plan.separate.cost)
    if baseline is not None:
        names.append(_("spreadsheet (greedy)"))
        values.append(baseline.value)
        costs.append(baseline.cost)
    symbol = SYMBOLS.get(plan.currency, plan.currency)
    value_text = [number(v, 0 if v == v.to_integral_value() else 2) for v in values]
    cost_text = [money(c, plan.currency) for c in costs]
    figure = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=[_("Value covered"), _("Cost") + f" ({plan.currency})"],
        horizontal_spacing=0.22,
    )
    figure.add_trace(
        go.Bar(
            name=_("value"),
            x=names,
            y=[float(v) for v in values],
            text=value_text,
            customdata=value_text,
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            marker_color="#2a8a4a",
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Bar(
            name=_("cost"),
            x=names,
            y=[float(c) for c in costs],
            text=cost_text,
            customdata=cost_text,
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            marker_color="#c77c02",
        ),
        row=1,
        col=2,
    )
    figure.update_traces(textposition="inside", insidetextanchor="end")
    figure.update_layout(
        title=_("Pooled against separate buying and the spreadsheet plan"),
        separators=_separators(),
        showlegend=False,
        margin={"t": 90},  # the title above the two panels' own titles, not on them
    )
    figure.update_yaxes(tickformat=",.0f", automargin=True, row=1, col=1)
    figure.update_yaxes(
        tickformat=",.3~s", tickprefix=f"{symbol}\u00a0", automargin=True, row=1, col=2
    )
    figure.update_xaxes(automargin=True)
    return render(figure, height=400)
