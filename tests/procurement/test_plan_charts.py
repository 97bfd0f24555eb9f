"""The plan page's charts stay small whatever the scenario: at most MAX_POINTS points a
series (a scenario from year 1 to 9999 once gave a 42.6 MB page), and they use the
optimiser's own rules (`Offer.deliverable`)."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import pytest

from coalition.optimizer import spec
from coalition.optimizer.baseline import baseline_plan
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Coverage, Order, Payment, Plan
from coalition.optimizer.scenario import Fund, Offer, Requirement, Scenario, Tier
from coalition.procurement import charts


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> list[go.Figure]:
    """The figures the charts build, instead of their HTML."""
    built: list[go.Figure] = []

    def keep(figure: go.Figure, *, height: int = 420) -> str:
        built.append(figure)
        return f"<div>{len(figure.data)}</div>"

    monkeypatch.setattr(charts, "render", keep)
    return built


def _wide(suppliers: int, requirements: int, funds: int) -> tuple[Plan, Scenario]:
    """From year 1 to 9999, with many suppliers, requirements and funds."""
    tier = (Tier(1, 100),)
    offers = tuple(Offer(f"O{i}", f"S{i}", "UA", "c", i, 1 + i, tier) for i in range(suppliers))
    reqs = tuple(
        Requirement(f"R{i}", "c", 10, Decimal(1), date(9999, 12, 31)) for i in range(requirements)
    )
    fund_rows = tuple(Fund(f"F{i}", "GB", 10_000 + i) for i in range(funds))
    scenario = Scenario(date(1, 1, 1), reqs, offers, fund_rows)
    plan = Plan(
        status="feasible",
        value=Decimal(requirements),
        cost=Decimal("1.00") * suppliers,
        currency="EUR",
        orders=tuple(
            Order(offer=o.id, quantity=1 + i, unit_price=Decimal("1.00"), cost=Decimal(1 + i))
            for i, o in enumerate(offers)
        ),
        assignments=(),
        payments=tuple(Payment(f.id, "O0", Decimal("1.00")) for f in fund_rows),
        coverage=tuple(Coverage(r.id, 1, r.quantity) for r in reqs),
    )
    return plan, scenario


def _points(figure: go.Figure) -> list[int]:
    return [len(trace.x) for trace in figure.data]


def test_a_horizon_of_ten_thousand_years_gives_small_series(figures: list[Any]) -> None:
    plan, scenario = _wide(suppliers=40, requirements=500, funds=300)
    charts.deliveries(plan, scenario)
    charts.coverage(plan)
    charts.fund_spend(plan, scenario)
    deliveries, coverage, spend = figures
    assert len(deliveries.data) == charts.MAX_SUPPLIERS
    assert all(n <= charts.MAX_POINTS for fig in figures for n in _points(fig))
    assert _points(coverage) == [charts.MAX_POINTS] * 2
    assert _points(spend) == [charts.MAX_POINTS] * 2
    assert coverage.data[0].x[-1].startswith("others")
    # The summed bar holds what the left-out ones had: 301 requirements covered 1 unit each.
    assert coverage.data[0].y[-1] == 500 - (charts.MAX_POINTS - 1)
    assert deliveries.data[0].x[0] == date(1, 1, 1)
    assert deliveries.data[0].x[-1] == date(9999, 12, 31)


def test_the_real_page_fragment_is_small() -> None:
    plan, scenario = _wide(suppliers=40, requirements=1000, funds=200)
    html = charts.deliveries(plan, scenario) + charts.coverage(plan)
    html += charts.fund_spend(plan, scenario) + charts.comparison(plan, None)
    assert len(html) < 300_000


def test_days_are_sampled_evenly_with_both_ends() -> None:
    assert charts.sample_days(0) == [0]
    assert charts.sample_days(10) == list(range(11))
    days = charts.sample_days(3_652_058)
    assert len(days) <= charts.MAX_POINTS and days[0] == 0 and days[-1] == 3_652_058
    assert len(charts.sample_days(199)) == 200 and len(charts.sample_days(398)) <= 200


def test_deliveries_follow_the_optimisers_delivery_rule(figures: list[Any]) -> None:
    scenario = parse_scenario(json.loads(spec.path(spec.EXAMPLE_SCENARIO).read_text()))
    plan = baseline_plan(scenario)
    charts.deliveries(plan, scenario)
    (figure,) = figures
    offers = {o.id: o for o in scenario.offers}
    start = scenario.start
    for trace in figure.data:
        supplier_orders = [o for o in plan.orders if offers[o.offer].supplier == trace.name]
        for when, units in zip(trace.x, trace.y, strict=True):
            day = (when - start).days
            expected = sum(
                min(o.quantity, offers[o.offer].deliverable(day)) for o in supplier_orders
            )
            assert units == expected


def _compared() -> tuple[Plan, Plan]:
    plan, _ = _wide(suppliers=2, requirements=3, funds=2)
    alone, _ = _wide(suppliers=1, requirements=1, funds=1)
    plan = Plan(**{**plan.__dict__, "cost": Decimal("2497500.00"), "separate": alone})
    baseline = Plan(**{**alone.__dict__, "cost": Decimal("2297000.00")})
    return plan, baseline


def test_the_comparison_shows_value_and_cost_side_by_side_formatted(figures: list[Any]) -> None:
    """Issue 12: cost bars covered value bars (same x, two overlaid axes), the right axis was
    clipped and amounts read 2497500.00."""
    plan, baseline = _compared()
    charts.comparison(plan, baseline)
    (figure,) = figures
    value, cost = figure.data
    assert [value.name, cost.name] == ["value", "cost"]
    names = ["pooled (optimiser)", "each fund alone", "spreadsheet (greedy)"]
    assert list(value.x) == names and list(cost.x) == names
    # Two panels: the bars never share an x axis, so none covers another.
    assert value.xaxis != cost.xaxis and value.yaxis != cost.yaxis
    assert figure.layout.barmode != "overlay"
    assert "overlaying" not in figure.layout.yaxis2.to_plotly_json()
    # Amounts the reader's way, with their currency, on the bars and in the hover.
    assert list(cost.text) == ["€\xa02,497,500.00", "€\xa01.00", "€\xa02,297,000.00"]
    assert "%{customdata}" in cost.hovertemplate
    assert figure.layout.yaxis2.tickprefix == "€\xa0" and figure.layout.yaxis2.automargin
    assert figure.layout.yaxis2.tickformat == ",.3~s" and figure.layout.separators == ".,"
    # The chart's title sits above the panels' titles (it ran into them at 40 px).
    assert figure.layout.margin.t == 90


def test_the_comparison_in_french_groups_digits_the_french_way(figures: list[Any]) -> None:
    from django.utils import translation

    plan, baseline = _compared()
    with translation.override("fr"):
        charts.comparison(plan, baseline)
    (figure,) = figures
    assert figure.data[1].text[0] == "€\xa02\xa0497\xa0500,00"
    assert figure.layout.separators[0] == ","


def test_funds_and_requirements_are_shown_by_name(figures: list[Any]) -> None:
    plan, scenario = _wide(suppliers=2, requirements=2, funds=2)
    labels = charts.Labels(funds={"F0": "Common fund", "F1": "Common fund"}, requirements={})
    charts.fund_spend(plan, scenario, labels)
    charts.coverage(plan, labels)
    spend, coverage = figures
    assert list(spend.data[0].x) == ["Common fund", "Common fund (F1)"]
    assert list(coverage.data[0].x) == ["R0", "R1"]  # a pasted scenario's own ids
    assert spend.layout.yaxis.tickprefix == "€\xa0"
