"""`coalition deliveries import FILE [--coalition SLUG]` (docs/CONTRACT.md): a delivery
manifest, all or nothing, with a progress bar of the rows checked on stderr."""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from coalition.access.system import CLI
from coalition.procurement.management.files import coalition_of, file_import
from coalition.procurement.services.deliveries import deliveries_import


class Command(BaseCommand):
    help = (
        "Import a delivery manifest (.csv or .xlsx: serial, order, delivered_on, lot); all "
        "or nothing; rows already delivered as given are skipped."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file")
        parser.add_argument(
            "--coalition", help="the coalition's slug (default: the only one, or drone-coalition)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(
        self, *args: Any, file: str, coalition: str | None, no_progress: bool, **options: Any
    ) -> None:
        from tqdm import tqdm

        bar = tqdm(
            desc=f"{Path(file).name}: rows checked",
            unit=" rows",
            file=sys.stderr,
            disable=no_progress or None,  # None: only on a terminal
            leave=False,
        )

        def progress(rows: int) -> None:
            bar.update(rows - bar.n)

        try:
            result = file_import(
                file,
                lambda data, name: deliveries_import(
                    actor=CLI,
                    coalition=coalition_of(coalition),
                    data=data,
                    name=name,
                    progress=progress,
                ),
            )
        finally:
            bar.close()
        self.stdout.write(
            f"{Path(file).name}: {result.rows} rows, {result.written} items written, "
            f"{result.known} already delivered"
        )
