"""`coalition pledges import FILE [--coalition SLUG]` (docs/CONTRACT.md)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.access.system import CLI
from coalition.errors import DomainError
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_get

DEFAULT = "drone-coalition"


def _coalition(slug: str | None) -> Coalition:
    if slug:
        return coalition_get(slug=slug)
    only = list(Coalition.objects.all()[:2])
    if len(only) == 1:
        return only[0]
    return coalition_get(slug=DEFAULT)


class Command(BaseCommand):
    help = "Import a pledge file (.csv or .xlsx); all or nothing; the same file twice is a no-op."
    # No system checks: they import every view (and plotly) for a one-line answer.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file")
        parser.add_argument(
            "--coalition", help="the coalition's slug (default: the only one, or drone-coalition)"
        )

    def handle(self, *args: Any, file: str, coalition: str | None, **options: Any) -> None:
        path = Path(file)
        try:
            stream = path.open("rb")  # read as a stream, within the import limits
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}", returncode=2) from error
        try:
            with stream:
                result = pledges_import(
                    actor=CLI, coalition=_coalition(coalition), data=stream, name=path.name
                )
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error
        if result.changed:
            self.stdout.write(
                f"{path.name}: {result.rows} rows, {len(result.steps)} steps recorded "
                f"for {result.contributions} contributions"
            )
        else:
            self.stdout.write(f"{path.name}: {result.rows} rows, nothing to change")
