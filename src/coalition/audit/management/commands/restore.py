"""`coalition restore FILE [--force]`: a backup into this database (coalition.audit.restore).
Exit 0 restored, 2 refused (the message says why; nothing written)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.audit.restore import restore_read
from coalition.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore a `coalition backup` FILE into this migrated database, all or nothing: "
        "refused when its audit chain does not verify, when it was signed with another key "
        "than the one configured here, or when the database holds data (--force replaces it)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--force", action="store_true", help="replace whatever the database holds"
        )

    def handle(self, *args: Any, file: str, force: bool, **options: Any) -> None:
        try:
            result = restore_read(path=Path(file), force=force)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error
        self.stdout.write(
            f"{file}: restored {result.rows} rows of {result.tables} tables from "
            f"{result.engine}; audit chain intact: {result.audit_events} events"
        )
