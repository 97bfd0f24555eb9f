from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.access.system import CLI
from coalition.governance.services.accession import applications_close_expired


class Command(BaseCommand):
    help = (
        "Accession: `accession close-expired [--today YYYY-MM-DD]` decides every pending "
        "application whose deadline has passed, as of its deadline (for a periodic job)."
    )
    # No system checks: they import every view (and plotly) for a one-line answer.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["close-expired"])
        parser.add_argument("--today", help="the day to close as of (default: today)")

    def handle(self, *args: Any, today: str | None = None, **options: Any) -> None:
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today: not an ISO date: '{today}'", returncode=2) from error
        closed = applications_close_expired(actor=CLI, today=day)
        for application in closed:
            self.stdout.write(
                f"application {application.pk} ({application.country_id} → "
                f"{application.coalition.slug}): {application.status} on {application.decided}"
            )
        self.stdout.write(f"{len(closed)} expired application(s) closed")
