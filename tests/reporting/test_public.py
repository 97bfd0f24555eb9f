"""The public transparency page: anyone reads it (no login), in the reader's language,
with members over time, support per year by channel and category, the sources' figures
linked, deliveries counted; what the coalition keeps confidential appears nowhere, not in
the page nor in the downloads; illustrative records are labelled."""

import csv
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from coalition.demo.services import exercise_load
from coalition.finance.models import ReportedFigure
from coalition.governance.models import Coalition, Membership, Role, Source
from coalition.procurement.models import DeliveredItem, Order, Payment

pytestmark = pytest.mark.django_db

URL = "/coalitions/drone-coalition/public/"


@pytest.fixture
def exercise(demo: Coalition) -> Coalition:
    """The demo with its illustrative purchase exercise: orders, deliveries, payments."""
    exercise_load(demo)
    return demo


def _zip(client: Client) -> dict[str, str]:
    response = client.get(URL, {"download": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def _xlsx(client: Client) -> dict[str, list[list[Any]]]:
    response = client.get(URL, {"download": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def test_anyone_reads_it_without_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for section in ("members", "support", "deliveries", "left-out"):
        assert f'id="{section}"' in html
    for table in ("members", "support_by_channel", "support_by_category", "reported"):
        assert f'data-table="{table}"' in html
    assert 'data-table="deliveries"' in html and "chart-members" in html


def test_members_over_time_with_dates_and_names_in_the_readers_language(client: Client) -> None:
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Lettonie" in html and "Royaume-Uni" in html
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Латвія" in html
    files = _zip(client)
    rows = list(csv.reader(io.StringIO(files["members.csv"])))
    assert rows[0][:5] == ["Country", "Code", "Role", "Joined", "Left"]
    records = Membership.objects.filter(coalition__slug="drone-coalition")
    assert len(rows) - 1 == records.count()
    left = records.filter(end__isnull=False).first()
    record = left or records.get(country="LV", role="member")
    expected = [record.start.isoformat(), record.end.isoformat() if record.end else ""]
    role = str(dict(Role.choices)[record.role])
    mine = [r[3:5] for r in rows if r[1] == record.country_id and r[2] == role]
    assert expected in mine


def test_support_per_year_by_channel_and_category(client: Client) -> None:
    files = _zip(client)
    channel = list(csv.reader(io.StringIO(files["support_by_channel.csv"])))
    assert channel[0][:5] == ["Year", "Channel", "Pledged, EUR", "Committed, EUR", "Disbursed, EUR"]
    assert {r[1] for r in channel[1:]} <= {
        "common fund",
        "national programme",
        "Ukrainian industry",
    }
    assert len(channel) > 1
    category = list(csv.reader(io.StringIO(files["support_by_category.csv"])))
    assert category[0][1] == "Category" and len(category) > 1


def test_reported_figures_with_their_sources_linked(client: Client) -> None:
    linked = ReportedFigure.objects.select_related("source").first()
    assert linked is not None
    Source.objects.filter(pk=linked.source_id).update(url="https://example.org/report?a=1")
    linked.source.refresh_from_db()
    html = client.get(URL).content.decode()
    assert 'href="https://example.org/report?a=1"' in html
    files = _zip(client)
    rows = list(csv.reader(io.StringIO(files["reported.csv"])))
    assert "Link" in rows[0]
    assert any(linked.source.url in r for r in rows[1:])
    assert len(rows) - 1 == ReportedFigure.objects.count()


def test_deliveries_counted_per_category_and_year_never_by_serial(
    client: Client, exercise: Coalition
) -> None:
    files = _zip(client)
    rows = list(csv.reader(io.StringIO(files["deliveries.csv"])))
    assert rows[0] == ["Year", "Category", "Units ordered", "Units delivered", "Units accepted"]
    live = Order.objects.exclude(status="cancelled")
    assert sum(int(r[2]) for r in rows[1:]) == sum(o.quantity for o in live)
    assert sum(int(r[3]) for r in rows[1:]) == DeliveredItem.objects.count()
    accepted = DeliveredItem.objects.filter(status="accepted").count()
    assert sum(int(r[4]) for r in rows[1:]) == accepted
    serial = DeliveredItem.objects.values_list("serial", flat=True).first()
    assert serial, "the demo has delivered items"
    html = client.get(URL).content.decode()
    everything = html + "".join(files.values())
    assert serial not in everything


def test_money_paid_per_year(client: Client, exercise: Coalition) -> None:
    payments = list(Payment.objects.all())
    assert payments, "the demo has payments"
    rows = list(csv.reader(io.StringIO(_zip(client)["paid.csv"])))
    assert rows[0] == ["Year", "Paid", "Currency", "Payments"]
    assert sum(int(r[3]) for r in rows[1:]) == len(payments)


def test_downloads_hold_every_table_and_a_methodology_note(
    client: Client, exercise: Coalition
) -> None:
    files = _zip(client)
    note = files["README.txt"]
    for name in ("members", "support_by_channel", "reported", "deliveries", "paid"):
        assert f"{name}.csv" in files
        assert f"- {name}:" in note
    assert "Left out:" in note and "Date:" in note and "ECB" in note
    sheets = _xlsx(client)
    assert next(iter(sheets)) == "README"
    assert {n.removesuffix(".csv") for n in files if n.endswith(".csv")} == set(sheets) - {"README"}
    assert sheets["members"][0][:3] == ["Country", "Code", "Role"]


def test_the_download_follows_the_readers_language(client: Client) -> None:
    files = _zip(Client(HTTP_ACCEPT_LANGUAGE="uk"))
    assert files["members.csv"].splitlines()[0].startswith("Країна")
    assert "Дата" in files["README.txt"]


def _confidential(client: Client) -> tuple[str, str]:
    coalition = Coalition.objects.get(slug="drone-coalition")
    coalition.confidential_prices = True
    coalition.confidential_suppliers = True
    coalition.save()
    html = client.get(URL).content.decode()
    files = _zip(client)
    sheets = _xlsx(client)
    flat = "\n".join(str(v) for rows in sheets.values() for row in rows for v in row)
    return html, "".join(files.values()) + flat


def test_confidential_suppliers_and_prices_appear_nowhere(
    client: Client, exercise: Coalition
) -> None:
    orders = list(Order.objects.select_related("supplier"))
    assert orders
    before = client.get(URL).content.decode()
    assert orders[0].supplier.name in before, "suppliers are public unless marked"
    html, downloads = _confidential(client)
    for text in (html, downloads):
        for order in orders:
            assert order.supplier.name not in text
            price = order.unit_price_minor
            for shown in (f"{price / 100:.2f}", f"{price / 100:,.2f}", f"{price // 100:,}"):
                assert shown not in text, shown
        for payment in Payment.objects.all():
            assert f"{payment.amount_minor / 100:.2f}" not in text
    assert 'data-table="suppliers"' not in html and 'data-table="paid"' not in html
    assert "Suppliers: the coalition keeps them confidential." in downloads
    assert "keeps prices confidential" in html


def test_illustrative_records_are_labelled(client: Client, exercise: Coalition) -> None:
    html = client.get(URL).content.decode()
    assert 'data-testid="public-illustrative"' in html
    rows = list(csv.reader(io.StringIO(_zip(client)["reported.csv"])))
    assert rows[0][-1] == "Illustrative"
    files = _zip(client)
    channel = list(csv.reader(io.StringIO(files["support_by_channel.csv"])))
    assert channel[0][-1] == "Includes illustrative records"
    assert any(r[-1] == "yes" for r in channel[1:]), "the exercise's 2025 money is marked"
    assert "Illustrative records" in files["README.txt"]


def test_without_the_exercise_nothing_is_labelled(client: Client, exercise: Coalition) -> None:
    Source.objects.filter(key="demo-exercise").update(key="not-the-exercise")
    html = client.get(URL).content.decode()
    assert 'data-testid="public-illustrative"' not in html
    assert "Illustrative records" not in _zip(client)["README.txt"]


def test_unknown_coalition_or_format_is_404(client: Client) -> None:
    assert client.get("/coalitions/nope/public/").status_code == 404
    assert client.get(URL, {"download": "pdf"}).status_code == 404


def test_the_home_page_links_to_it(client: Client) -> None:
    html = client.get("/").content.decode()
    assert f'href="{URL}"' in html


def test_the_coalition_page_links_to_it(client: Client) -> None:
    html = client.get("/coalitions/drone-coalition/").content.decode()
    assert f'href="{URL}"' in html


def test_a_source_without_an_address_links_to_its_entry_in_the_sources_list(
    client: Client,
) -> None:
    """The demo's seed gives its sources no address: each still leads to its title,
    publisher, date and note on the coalition page."""
    html = client.get(URL).content.decode()
    keys = set(ReportedFigure.objects.values_list("source__key", flat=True))
    assert keys
    for key in keys:
        assert f'<a href="/coalitions/drone-coalition/#source-{key}" rel="noopener">' in html
    page = client.get("/coalitions/drone-coalition/").content.decode()
    assert all(f'id="source-{key}"' in page for key in keys)
