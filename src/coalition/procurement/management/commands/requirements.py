"""`coalition requirements import FILE [--coalition SLUG]` (docs/CONTRACT.md)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from coalition.access.system import CLI
from coalition.procurement.management.files import coalition_of, file_import
from coalition.procurement.services.needs import requirements_import


class Command(BaseCommand):
    help = (
        "Import the beneficiary's requirements file (.csv or .xlsx); all or nothing; "
        "the same file twice is a no-op."
    )
    # No system checks: they import every view (and plotly) for a one-line answer.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file")
        parser.add_argument(
            "--coalition", help="the coalition's slug (default: the only one, or drone-coalition)"
        )

    def handle(self, *args: Any, file: str, coalition: str | None, **options: Any) -> None:
        result = file_import(
            file,
            lambda data, name: requirements_import(
                actor=CLI, coalition=coalition_of(coalition), data=data, name=name
            ),
        )
        name = Path(file).name
        if result.changed:
            self.stdout.write(
                f"{name}: {result.rows} rows, {len(result.created)} requirements created, "
                f"{result.unchanged} unchanged"
            )
        else:
            self.stdout.write(
                f"{name}: {result.rows} rows, nothing to change "
                f"({result.unchanged} requirements unchanged)"
            )
