"""GET /api/v1/coalitions/{slug}/totals?year=YYYY (CONTRACT.md), matched to figures
computed by hand from the ECB rates of each step's date (amount / rate, half-even)."""

from decimal import Decimal

import pytest
from django.test import Client

from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from coalition.reporting import selectors
from tests.finance.conftest import csv_bytes
from tests.helpers import TEST, api_get

pytestmark = pytest.mark.django_db

# By hand, with the ECB rates of the shipped history:
#   SE 1 000 000.00 SEK on 2024-03-04 (11.2424)           -> 88 948.98
#   CA 1 000 000.00 USD on Sat 2024-03-09 (Fri 1.0932)    -> 914 745.70
#   GB   250 000.00 GBP on 2024-12-25 (Tue 24th 0.82805)  -> 301 914.14 (committed: pledged too)
#   GB   250 000.00 GBP disbursed 2025-01-02 (0.83118)     -> 300 777.21
#   NO   500 000.00 NOK on Good Friday 2025-04-18 (Thu 17th 11.9655) -> 41 786.80 (disbursed:
#                                                            pledged and committed too)
#   LV     1 234.56 EUR on 2024-06-01                      -> 1 234.56
# plus the demo's Latvian 2025 plan: EUR 20 M national + EUR 10 M industry, pledged.
ROWS = (
    "SE-1,2024-03-04,SE,national,pledged,1000000.00,SEK,tactical-recon,,",
    "CA-1,2024-03-09,CA,national,pledged,1000000.00,USD,fpv,,",
    "GB-1,2024-12-25,GB,common-fund,committed,250000.00,GBP,tactical-recon,UA,",
    "GB-1,2025-01-02,GB,common-fund,disbursed,250000.00,GBP,tactical-recon,UA,",
    "NO-1,2025-04-18,NO,industry,disbursed,500000.00,NOK,,UA,",
    "LV-1,2024-06-01,LV,national,pledged,1234.56,EUR,,,",
)


@pytest.fixture
def imported(demo: Coalition) -> Coalition:
    pledges_import(actor=TEST, coalition=demo, data=csv_bytes(*ROWS), name="p.csv")
    return demo


def _row(rows: list[dict[str, str]], key: str, value: str | None) -> dict[str, str]:
    return next(r for r in rows if r[key] == value)


def test_totals_2024_by_hand(imported: Coalition, client: Client) -> None:
    status, body = api_get(client, "/coalitions/drone-coalition/totals?year=2024")
    assert status == 200
    assert isinstance(body, dict)
    assert body["year"] == 2024 and body["currency"] == "EUR"
    pledged = Decimal("88948.98") + Decimal("914745.70") + Decimal("301914.14") + Decimal("1234.56")
    assert body["pledged"] == str(pledged) == "1306843.38"
    assert body["committed"] == "301914.14"
    assert body["disbursed"] == "0.00"
    members = body["by_member"]
    assert [m["country"] for m in members] == ["CA", "GB", "LV", "SE"]
    assert _row(members, "country", "SE") == {
        "country": "SE",
        "pledged": "88948.98",
        "committed": "0.00",
        "disbursed": "0.00",
    }
    assert _row(members, "country", "CA")["pledged"] == "914745.70"
    assert _row(members, "country", "GB")["committed"] == "301914.14"
    channels = body["by_channel"]
    assert [c["channel"] for c in channels] == ["common-fund", "national"]
    assert _row(channels, "channel", "national")["pledged"] == "1004929.24"
    categories = body["by_category"]
    assert _row(categories, "category", "tactical-recon")["pledged"] == "390863.12"
    assert _row(categories, "category", "fpv")["pledged"] == "914745.70"
    assert _row(categories, "category", None)["pledged"] == "1234.56"


def test_totals_2025_count_each_step_in_the_year_of_its_date(
    imported: Coalition, client: Client
) -> None:
    _, body = api_get(client, "/coalitions/drone-coalition/totals?year=2025")
    assert isinstance(body, dict)
    # GB's disbursement falls in 2025 although its commitment was in 2024.
    assert body["disbursed"] == str(Decimal("300777.21") + Decimal("41786.80")) == "342564.01"
    assert body["committed"] == "41786.80"
    assert body["pledged"] == "30041786.80"  # NO's implied pledge + Latvia's EUR 30 M plan
    lv = _row(body["by_member"], "country", "LV")
    assert lv == {
        "country": "LV",
        "pledged": "30000000.00",
        "committed": "0.00",
        "disbursed": "0.00",
    }
    industry = _row(body["by_channel"], "channel", "industry")
    assert industry["pledged"] == "10041786.80" and industry["disbursed"] == "41786.80"


def test_the_reported_coalition_figures_stand_beside_the_totals(
    demo: Coalition, client: Client
) -> None:
    _, body = api_get(client, "/coalitions/drone-coalition/totals?year=2024")
    assert isinstance(body, dict)
    assert body["pledged"] == "0.00"  # no per-member 2024 figure: none is invented
    provided = _row(body["reported"], "kind", "provided")
    assert provided["amount"] == "1800000000.00" and provided["approximate"] is True
    assert provided["source"] == "article-2025-05" and provided["country"] is None
    recon = _row(body["reported"], "kind", "allocated")
    assert recon["amount"] == "20000000.00" and recon["category"] == "tactical-recon"
    assert recon["channel"] == "common-fund" and "March 2025" in recon["note"]
    _, body = api_get(client, "/coalitions/drone-coalition/totals?year=2025")
    assert isinstance(body, dict)
    planned = _row(body["reported"], "kind", "planned")
    assert planned["amount"] == "2750000000.00"
    norway = _row(body["reported"], "kind", "announced")
    assert norway["country"] == "NO" and norway["amount"] is None
    assert norway["channel"] == "industry" and norway["origin"] == "UA"
    sizes = [r["amount"] for r in body["reported"] if r["kind"] == "fund-size"]
    assert sizes == ["180000000.00"]


def test_a_correction_moves_the_totals_of_the_step_year(imported: Coalition) -> None:
    pledges_import(
        actor=TEST,
        coalition=imported,
        data=csv_bytes("LV-1,2024-06-01,LV,national,pledged,1000.00,EUR,,,"),
        name="fix.csv",
    )
    assert selectors.totals(coalition=imported, year=2024).by_member["LV"].pledged == Decimal(
        "1000.00"
    )


def test_rounding_is_per_step_and_half_even(demo: Coalition) -> None:
    # 0.01 USD at 1.0395 is 0.00962 -> 0.01; 10.005 EUR cannot be entered (two decimals).
    pledges_import(
        actor=TEST,
        coalition=demo,
        data=csv_bytes("R-1,2024-12-25,DK,national,pledged,0.01,USD,,,"),
        name="r.csv",
    )
    assert selectors.totals(coalition=demo, year=2024).total.pledged == Decimal("0.01")


def test_a_bad_year_or_coalition(client: Client, demo: Coalition) -> None:
    assert api_get(client, "/coalitions/drone-coalition/totals?year=1800")[0] == 422
    assert api_get(client, "/coalitions/drone-coalition/totals?year=abc")[0] == 422
    assert api_get(client, "/coalitions/nope/totals?year=2024")[0] == 404
    status, body = api_get(client, "/coalitions/drone-coalition/totals")
    assert status == 200 and isinstance(body, dict) and body["year"] >= 2026


def test_the_rate_endpoint(client: Client, db: None) -> None:
    status, body = api_get(client, "/rates/usd?on=2024-12-25&amount=1000")
    assert status == 200
    assert body == {
        "currency": "USD",
        "on": "2024-12-25",
        "rate": "1.0395",
        "rate_date": "2024-12-24",
        "amount": "1000",
        "eur": "962.00",
    }
    status, body = api_get(client, "/rates/UAH?on=2024-12-25")
    assert status == 422 and "coalition rates add UAH" in body["detail"]  # type: ignore[index]
