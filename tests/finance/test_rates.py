"""ECB reference rates: the shipped history, weekends and holidays, newer files, and
rates entered by hand for currencies the ECB does not publish."""

import io
import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coalition.audit.models import AuditEvent
from coalition.cli import main
from coalition.finance import selectors
from coalition.finance.errors import NoRate
from coalition.finance.models import Rate
from coalition.finance.services import rates
from tests.helpers import TEST

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("currency", "day", "rate_date", "rate"),
    [
        ("USD", date(2024, 12, 24), date(2024, 12, 24), "1.0395"),
        ("USD", date(2024, 12, 25), date(2024, 12, 24), "1.0395"),  # Christmas
        ("GBP", date(2024, 12, 26), date(2024, 12, 24), "0.82805"),  # St Stephen's Day
        ("SEK", date(2024, 12, 28), date(2024, 12, 27), "11.4795"),  # a Saturday
        ("NOK", date(2025, 4, 18), date(2025, 4, 17), "11.9655"),  # Good Friday
        ("NOK", date(2025, 4, 21), date(2025, 4, 17), "11.9655"),  # Easter Monday
        ("JPY", date(2024, 3, 9), date(2024, 3, 8), "160.99"),  # a Saturday
        ("USD", date(1999, 1, 4), date(1999, 1, 4), "1.1789"),  # the first ECB day
    ],
)
def test_the_rate_of_a_day_or_the_latest_before_it(
    currency: str, day: date, rate_date: date, rate: str
) -> None:
    assert selectors.rate_on(currency, day) == (rate_date, Decimal(rate))


def test_no_rate_before_the_first_ecb_day_is_a_clear_error() -> None:
    with pytest.raises(NoRate, match="no EUR reference rate for USD on or before 1999-01-01"):
        selectors.rate_on("USD", date(1999, 1, 1))


def test_uah_has_no_ecb_rate_until_one_is_added_by_hand() -> None:
    with pytest.raises(NoRate) as caught:
        selectors.rate_on("UAH", date(2024, 3, 1))
    assert caught.value.message == (
        "no EUR reference rate for UAH on or before 2024-03-01 "
        "(add one with `coalition rates add UAH DATE RATE`)"
    )
    rates.rate_add(actor=TEST, currency="UAH", on=date(2024, 3, 1), rate=Decimal("41.6234"))
    assert selectors.rate_on("UAH", date(2024, 3, 4)) == (date(2024, 3, 1), Decimal("41.6234"))


def test_the_shipped_history_is_in_the_database_after_migrate_and_reads_write_nothing() -> None:
    events = AuditEvent.objects.count()
    assert Rate.objects.count() == 221702
    assert selectors.rate_on("USD", date(2024, 1, 2)) == (date(2024, 1, 2), Decimal("1.0956"))
    assert (Rate.objects.count(), AuditEvent.objects.count()) == (221702, events)


def test_rates_load_puts_back_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rates", "load"]) == 0
    assert "loaded 0 missing ECB reference rates" in capsys.readouterr().out
    Rate.objects.filter(currency="USD", date__year=2024).delete()
    assert main(["rates", "load"]) == 0
    assert "loaded 256 missing ECB reference rates" in capsys.readouterr().out
    assert Rate.objects.count() == 221702


def test_rates_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rates", "show", "usd", "2024-12-25"]) == 0
    assert capsys.readouterr().out.strip() == "USD 2024-12-25: 1.0395 per EUR (of 2024-12-24)"


def test_rates_add_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rates", "add", "UAH", "2025-01-02", "43.5"]) == 0
    assert Rate.objects.get(currency="UAH", date=date(2025, 1, 2)).rate == Decimal("43.5")
    before = AuditEvent.objects.count()
    cases = [
        (["rates", "add", "USD", "2024-03-01", "1.1"], "the ECB publishes USD reference rates"),
        (["rates", "add", "XYZ", "2024-03-01", "1.1"], "'XYZ' is not an ISO 4217 currency"),
        (["rates", "add", "UAH", "2024-03-01", "abc"], "'abc' is not a rate"),
        (["rates", "add", "UAH", "2024-03-01", "-2"], "the rate must be greater than zero"),
        (["rates", "add", "UAH", "1/3/2024", "40"], "'1/3/2024' is not an ISO date"),
        (["rates", "add", "UAH"], "usage: coalition rates add CURRENCY DATE RATE"),
    ]
    for args, message in cases:
        assert main(args) == 2, args
        assert message in capsys.readouterr().err
    assert AuditEvent.objects.count() == before


DAILY = "Date, USD, JPY, GBP, \n02 November 2026, 1.0500, 160.00, 0.85000, \n"
HISTORY = "Date,USD,GBP,\n2026-11-06,1.0600,0.86000,\n2026-11-05,1.0550,N/A,\n"


def test_rates_update_from_a_daily_csv_and_a_zip(
    write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("eurofxref.csv", DAILY.encode())
    assert main(["rates", "update", str(path)]) == 0
    assert "eurofxref.csv: 3 rates read, 3 new or changed" in capsys.readouterr().out
    assert selectors.rate_on("GBP", date(2026, 11, 3)) == (date(2026, 11, 2), Decimal("0.85"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("eurofxref-hist.csv", HISTORY)
    path = write_file("eurofxref-hist.zip", archive.getvalue())
    assert main(["rates", "update", str(path)]) == 0
    assert "3 rates read, 3 new or changed" in capsys.readouterr().out
    assert selectors.rate_on("USD", date(2026, 11, 7)) == (date(2026, 11, 6), Decimal("1.06"))
    assert main(["rates", "update", str(path)]) == 0  # the same file again
    assert "3 rates read, 0 new or changed" in capsys.readouterr().out


def test_a_newer_file_corrects_a_published_rate() -> None:
    selectors.rate_on("USD", date(2024, 12, 24))
    rates.rates_update(actor=TEST, data=b"Date,USD\n2024-12-24,1.0400\n", name="correction.csv")
    assert selectors.rate_on("USD", date(2024, 12, 25))[1] == Decimal("1.04")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Date,USD\n2026-11-02,abc\n", "bad.csv row 2, column USD: 'abc' is not a positive rate"),
        ("Date,USD\n2026-11-02,-1\n", "bad.csv row 2, column USD: '-1' is not a positive rate"),
        (
            "Date,USD\n2026-11-02,1.05\n2026-13-02,1.05\n",
            "bad.csv row 3, column Date: '2026-13-02' is not a date",
        ),
        (
            "Date,USD,XYZ\n2026-11-02,1.05,1\n",
            "bad.csv row 1, column XYZ: not an ISO 4217 currency code",
        ),
        ("Day,USD\n2026-11-02,1.05\n", "bad.csv row 1: the header must start with 'Date'"),
        (
            "Date,USD\n2026-11-02,1.05\n2026-11-02,1.06\n",
            "bad.csv row 3, column Date: 2026-11-02 appears twice",
        ),
        ("Date,USD\n", "bad.csv: no rates in the file"),
    ],
)
def test_a_bad_rates_file_exits_2_naming_row_and_column_and_writes_nothing(
    write_file: Callable[[str, bytes], Path],
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    path = write_file("bad.csv", content.encode())
    before = (Rate.objects.count(), AuditEvent.objects.count())
    assert main(["rates", "update", str(path)]) == 2
    assert message in capsys.readouterr().err
    assert (Rate.objects.count(), AuditEvent.objects.count()) == before


def test_every_bad_value_of_a_rates_file_is_reported(
    write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("bad.csv", b"Date,USD,GBP\n2026-11-02,x,0.8\n2026-11-05,1.05,y\n")
    assert main(["rates", "update", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv row 2, column USD: 'x' is not a positive rate" in err
    assert "bad.csv row 3, column GBP: 'y' is not a positive rate" in err
    assert not Rate.objects.filter(date__gte=date(2026, 11, 2)).exists()


def test_a_missing_rates_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rates", "update", "/nonexistent/eurofxref.csv"]) == 2
    assert "/nonexistent/eurofxref.csv" in capsys.readouterr().err
