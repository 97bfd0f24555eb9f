"""Charts speak the reader's language: plotly gets the month and day names and the number
separators of the page, in its configuration (no locale file to load)."""

from django.utils import translation

from coalition.web.charts import CONFIG, chart_config


def test_english_keeps_plotly_s_own_names() -> None:
    with translation.override("en"):
        assert chart_config() == CONFIG


def test_french_months_days_and_separators() -> None:
    with translation.override("fr"):
        config = chart_config()
    assert config["locale"] == "fr"
    names = config["locales"]["fr"]["format"]
    assert names["months"][6] == "juillet"
    assert names["shortMonths"][5:7] == ["juin", "juil."]  # not Django's "jui" and "jul"
    assert names["days"][:2] == ["dimanche", "lundi"]  # plotly's weeks start on Sunday
    assert (names["decimal"], names["thousands"]) == (",", "\u00a0")


def test_ukrainian_months() -> None:
    with translation.override("uk"):
        names = chart_config()["locales"]["uk"]["format"]
    assert names["months"][0] == "Січень"
    assert names["shortMonths"][0] == "січ."
    assert names["days"][1] == "Понеділок"


def test_a_figure_may_ask_for_a_larger_margin_than_the_default() -> None:
    import json
    import re

    import plotly.graph_objects as go

    from coalition.web.charts import render

    html = render(go.Figure(layout={"margin": {"t": 90}}), height=300)
    block = re.search(r'<script type="application/json" data-plotly="[^"]+">(.*)</script>', html)
    assert block is not None
    margin = json.loads(block.group(1))["layout"]["margin"]
    assert margin == {"l": 40, "r": 20, "t": 90, "b": 40}
