"""`coalition report summit --year YYYY [--lang en|fr|uk] --output FILE.pdf`
(docs/CONTRACT.md): the summit report as a PDF."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.errors import DomainError
from coalition.finance.management.commands.pledges import _coalition
from coalition.reporting.summit import FIRST_YEAR, LANGUAGES, LAST_YEAR, summit_pdf


class Command(BaseCommand):
    help = "Write the summit report of a year as a PDF, in English, French or Ukrainian."
    # No system checks: they import every view (and plotly) for one file.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=["summit"])
        parser.add_argument("--year", required=True, help="the year reported, e.g. 2025")
        parser.add_argument("--lang", default="en", help="en, fr or uk (default: en)")
        parser.add_argument("--output", required=True, help="the PDF file to write")
        parser.add_argument(
            "--coalition", help="the coalition's slug (default: the only one, or drone-coalition)"
        )

    def handle(
        self, *args: Any, year: str, lang: str, output: str, coalition: str | None, **_: Any
    ) -> None:
        try:
            number = int(year)
        except ValueError:
            number = 0
        if not FIRST_YEAR <= number <= LAST_YEAR:
            raise CommandError(
                f"--year: {year!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}", returncode=2
            )
        if lang not in LANGUAGES:
            raise CommandError(f"--lang: {lang!r} is not one of en, fr, uk", returncode=2)
        try:
            found = _coalition(coalition)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error
        content = summit_pdf(coalition=found, year=number, language=lang)
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}", returncode=2) from error
        self.stdout.write(f"{output}: summit report {number} ({lang}), {len(content):,} bytes")
