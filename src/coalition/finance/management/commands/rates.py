"""`coalition rates load | update FILE | add CURRENCY DATE RATE | show CURRENCY DATE`."""

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.access.system import CLI
from coalition.errors import DomainError
from coalition.finance import selectors
from coalition.finance.money import parse_rate
from coalition.finance.services import rates


class Command(BaseCommand):
    help = (
        "ECB euro reference rates: `load` the shipped history, `update FILE` from a newer "
        "ECB CSV or ZIP, `add CURRENCY DATE RATE` by hand (units per euro), "
        "`show CURRENCY DATE` the rate used on a date."
    )
    # No system checks: they import every view (and plotly) for a one-line answer.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["load", "update", "add", "show"])
        parser.add_argument("values", nargs="*", metavar="ARG")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        values: list[str] = options["values"]
        expected = {"load": 0, "update": 1, "add": 3, "show": 2}[action]
        if len(values) != expected:
            usage = {
                "load": "rates load",
                "update": "rates update FILE",
                "add": "rates add CURRENCY DATE RATE",
                "show": "rates show CURRENCY DATE",
            }[action]
            raise CommandError(f"usage: coalition {usage}", returncode=2)
        try:
            getattr(self, f"_{action}")(*values)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error

    def _load(self) -> None:
        count = rates.rates_load(actor=CLI)
        self.stdout.write(f"loaded {count} missing ECB reference rates from the shipped history")

    def _update(self, name: str) -> None:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{name}: {error.strerror}", returncode=2) from error
        total, changed = rates.rates_update(actor=CLI, data=data, name=path.name)
        self.stdout.write(f"{path.name}: {total} rates read, {changed} new or changed")

    def _add(self, currency: str, day: str, rate: str) -> None:
        on = _date(day)
        stored = rates.rate_add(actor=CLI, currency=currency, on=on, rate=parse_rate(rate))
        self.stdout.write(f"{stored.currency} {stored.date}: {rate} per EUR")

    def _show(self, currency: str, day: str) -> None:
        rate_date, rate = selectors.rate_on(currency.upper(), _date(day))
        self.stdout.write(
            f"{currency.upper()} {day}: {rate.normalize():f} per EUR (of {rate_date})"
        )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"'{text}' is not an ISO date (YYYY-MM-DD)", returncode=2) from None
