"""Issue 12: the finance dashboard drew the ledger's amounts on the scale of the figures
sources report (billions), so they were invisible; chart and table labels differed;
members were shown as codes; the member page's contributions table was 1,762 px wide."""

import json
import re
from typing import Any

import pytest
from django.test import Client

from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from tests.finance.conftest import csv_bytes
from tests.helpers import TEST

pytestmark = pytest.mark.django_db
DASH = "/coalitions/drone-coalition/finance/"


@pytest.fixture
def money(demo: Coalition) -> Coalition:
    pledges_import(
        actor=TEST,
        coalition=demo,
        data=csv_bytes(
            "NL-1,2024-09-02,NL,common-fund,disbursed,1000.00,EUR,tactical-recon,UA,",
            "SE-1,2024-03-04,SE,national,committed,1000000.00,SEK,,,",
        ),
        name="p.csv",
    )
    return demo


def _figures(html: str) -> list[dict[str, Any]]:
    """The plotly figures of a page (JSON data blocks)."""
    blocks = re.findall(r'<script type="application/json" data-plotly="[^"]+">(.*?)</script>', html)
    return [json.loads(b) for b in blocks]


def _titled(html: str, title: str) -> dict[str, Any]:
    found = [f for f in _figures(html) if title in json.dumps(f["layout"].get("title", ""))]
    assert len(found) == 1, title
    return found[0]


def _get(url: str, language: str = "en", username: str | None = None) -> str:
    client = Client()
    if username:
        client.login(username=username, password="demo")
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_ledger_amounts_and_reported_figures_have_their_own_charts(money: Coalition) -> None:
    html = _get(DASH + "?year=2024")
    years = _titled(html, "Totals per year (EUR)")
    assert [t["type"] for t in years["data"]] == ["bar"] * 3  # no reported marker beside them
    assert [t["name"] for t in years["data"]] == ["Pledged", "Committed", "Disbursed"]
    top = max(max(t["y"]) for t in years["data"])
    assert top < 100_000_000  # the ledger's scale (the demo's EUR 30 M), not the billions
    reported = _titled(html, "Figures reported by sources (EUR)")
    assert all(t["type"] == "scatter" for t in reported["data"])
    assert max(max(t["y"]) for t in reported["data"]) >= 1_800_000_000
    assert years["layout"]["yaxis"]["tickprefix"] == "€ "


def test_chart_and_table_labels_are_the_same(money: Coalition) -> None:
    html = _get(DASH + "?year=2024")
    for title, table in [("By channel (EUR)", "by_channel"), ("By category (EUR)", "by_category")]:
        chart = _titled(html, title)
        section = html.split(f'id="table-{table}"', 1)[1].split("</section>", 1)[0]
        assert f"<h3>{title}</h3>" in section
        assert [t["name"] for t in chart["data"]] == ["Pledged", "Committed", "Disbursed"]
        for name in chart["data"][0]["y"]:
            assert f"<td>{name}</td>" in section, (name, table)
    assert "<td>common fund</td>" in html and "<td>Tactical reconnaissance</td>" in html


@pytest.mark.parametrize(
    ("language", "names"),
    [("en", ("Netherlands", "Sweden")), ("fr", ("Pays-Bas", "Suède")), ("uk", ("Нідерланди",))],
)
def test_members_are_shown_by_name_in_the_reader_s_language(
    money: Coalition, language: str, names: tuple[str, ...]
) -> None:
    html = _get(DASH + "?year=2024", language)
    section = html.split('id="table-by_member"', 1)[1].split("</section>", 1)[0]
    for name in names:
        assert f"<td>{name}</td>" in section
    assert "<td>NL</td>" not in section and "<td>SE</td>" not in section
    links = html.split('id="table-by_member"', 1)[1]
    assert names[0] in links.split("</p>", 1)[0] or names[0] in links


def test_the_by_member_export_keeps_the_codes(money: Coalition) -> None:
    text = Client().get(DASH + "?year=2024&export=csv&table=by_member").content.decode()
    assert "\nNL," in text and "Netherlands" not in text


def test_the_member_page_s_contributions_table_is_narrow_and_its_export_full(
    money: Coalition,
) -> None:
    url = "/coalitions/drone-coalition/finance/members/SE/?year=2024"
    html = _get(url, username="delegate-lv")
    table = html.split('data-table="contributions"', 1)[1].split("</table>", 1)[0]
    assert table.count("<th>") == 9  # was 17 columns
    assert "<td>Sweden</td>" in table and "2024-03-04: SEK\xa01,000,000.00" in table
    assert '<h1><span class="flag">' in html and "Sweden: contributions" in html
    client = Client()
    client.login(username="delegate-lv", password="demo")
    text = client.get(url + "&export=csv&table=contributions").content.decode()
    header = text.splitlines()[0].split(",")
    assert len(header) == 17 and header[10] == "Committed: amount"
    assert "1000000.00" in text
