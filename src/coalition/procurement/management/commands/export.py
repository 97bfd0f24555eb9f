"""`coalition export ocds [--output FILE] [--records] [--coalition SLUG]` (docs/CONTRACT.md):
the coalition's procurement as an OCDS 1.1 release package (or, with --records, a record
package with compiled releases), the public export: what the coalition marks
confidential is left out."""

import os
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.access.system import CLI
from coalition.errors import DomainError
from coalition.procurement.management.files import coalition_of
from coalition.procurement.ocds import package_json, record_package, release_package
from coalition.procurement.ocds.packages import DEFAULT_BASE_URL


class Command(BaseCommand):
    help = (
        "Export the coalition's procurement as an OCDS 1.1 release package (--records: a "
        "record package with compiled releases) to stdout or --output FILE."
    )
    # No system checks: they import every view (and plotly) for a file's worth of JSON.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("format", choices=["ocds"])
        parser.add_argument("--output", help="the file to write ('-' or none: stdout)")
        parser.add_argument(
            "--records", action="store_true", help="a record package with compiled releases"
        )
        parser.add_argument(
            "--coalition", help="the coalition's slug (default: the only one, or drone-coalition)"
        )
        parser.add_argument(
            "--base-url",
            default=os.environ.get("COALITION_BASE_URL", DEFAULT_BASE_URL),
            help="where the platform is served, for the package's uri "
            "(default: $COALITION_BASE_URL or %(default)s)",
        )

    def handle(
        self,
        *args: Any,
        output: str | None,
        records: bool,
        coalition: str | None,
        base_url: str,
        **options: Any,
    ) -> None:
        build = record_package if records else release_package
        try:
            package = build(actor=CLI, coalition=coalition_of(coalition), base_url=base_url)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error
        text = package_json(package)
        if not output or output == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}", returncode=2) from error
        kind = "records" if records else "releases"
        count = len(package[kind])
        self.stdout.write(f"{output}: {count} {kind} written")
