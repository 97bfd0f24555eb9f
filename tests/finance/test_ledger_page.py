"""Issue 12: the fund ledger said "Nothing yet." for funds holding pledges and commitments
(the default filter hid them), accepted a From after Until or a date that is not a date
silently, and showed the internal transaction keys to people."""

import csv
import io

import pytest
from django.test import Client

from coalition.finance.models import Fund
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from tests.finance.conftest import csv_bytes
from tests.helpers import TEST

pytestmark = pytest.mark.django_db


@pytest.fixture
def promised(demo: Coalition) -> str:
    """A common fund holding only a pledge and a commitment: no money available yet."""
    pledges_import(
        actor=TEST,
        coalition=demo,
        data=csv_bytes(
            "NL-P,2024-05-02,NL,common-fund,pledged,500.00,EUR,,,",
            "NL-C,2024-06-03,NL,common-fund,committed,700.00,EUR,,,",
        ),
        name="p.csv",
    )
    fund = Fund.objects.get(channel="common-fund", coalition=demo)
    return f"/coalitions/drone-coalition/finance/funds/{fund.id}/"


def _client() -> Client:
    client = Client()
    client.login(username="delegate-gb", password="demo")
    return client


def test_pledges_and_commitments_are_shown_by_default(promised: str) -> None:
    html = _client().get(promised).content.decode()
    assert "Nothing yet." not in html
    assert "Contribution NL-P: pledged" in html and "Contribution NL-C: committed" in html
    assert "pledges received" in html and "commitments received" in html
    # The donors' side of the same entries is counted, not listed.
    assert "left out: 3 postings" in html  # NL-C's commitment counts its pledge too


def test_keys_are_not_shown_to_people_but_exported(promised: str) -> None:
    client = _client()
    html = client.get(promised).content.decode()
    assert "drone-coalition:contribution:" not in html
    text = client.get(promised + "?export=csv&table=ledger").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Date", "Transaction", "Description"]
    assert {r[1] for r in rows[1:]} == {
        "drone-coalition:contribution:NL-P:pledged",
        "drone-coalition:contribution:NL-C:pledged",
        "drone-coalition:contribution:NL-C:committed",
    }


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?start=2024-07-01&end=2024-01-01", "start", "is after"),
        ("?start=2024-13-45", "start", "Enter a valid date."),
        ("?end=yesterday", "end", "Enter a valid date."),
    ],
)
def test_a_bad_filter_is_an_error_beside_its_field(
    promised: str, query: str, field: str, message: str
) -> None:
    response = _client().get(promised + query)
    assert response.status_code == 400
    html = response.content.decode()
    error = f'id="id_{field}_error"'
    assert error in html and message in html.split(error, 1)[1].split("</span>", 1)[0]
    assert f'aria-describedby="id_{field}_error"' in html
    assert 'data-testid="ledger-invalid"' in html and "NL-P" not in html
    assert _client().get(promised + query + "&export=csv&table=ledger").status_code == 400


def test_a_date_range_keeps_what_falls_inside(promised: str) -> None:
    html = _client().get(promised + "?start=2024-06-01&end=2024-06-30").content.decode()
    assert "NL-C" in html and "NL-P" not in html


def test_descriptions_of_orders_payments_and_corrections() -> None:
    from coalition.finance.ledger_text import describe
    from coalition.finance.models import LedgerTransaction

    def tx(key: str, kind: str, memo: str = "") -> LedgerTransaction:
        return LedgerTransaction(idempotency_key=key, kind=kind, memo=memo)

    assert describe(tx("c:contribution:GB-1:disbursed~r1", "disbursed")) == (
        "Contribution GB-1: disbursed"
    )
    assert describe(tx("order:c:PO-2025-0001:F:*:*:r0", "obligated", "order PO (Kharkiv)")) == (
        "Order PO-2025-0001: money set aside (Kharkiv)"
    )
    assert describe(tx("payment:c:PAY-7", "paid", "payment PAY-7 of order PO (Kharkiv)")) == (
        "Payment PAY-7 (Kharkiv)"
    )
    assert describe(tx("c:contribution:GB-1:pledged~reversal", "reversal")) == (
        "Correction of: Contribution GB-1: pledged"
    )
    assert describe(tx("opening:1", "opening", "opening balance")) == "opening balance"


def test_the_ledger_in_french(promised: str) -> None:
    client = _client()
    client.cookies["django_language"] = "fr"
    html = client.get(promised + "?start=2024-07-01&end=2024-01-01").content.decode()
    assert "« Du » est après « Au »" in html
    html = client.get(promised).content.decode()
    assert "Contribution NL-P : promis" in html and "Affichés" in html
