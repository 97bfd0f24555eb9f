"""`coalition backup FILE`: the whole database to one portable file (coalition.audit.backup).
Exit 0 written, 2 a file that cannot be written."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.audit.backup import backup_write
from coalition.errors import DomainError


class Command(BaseCommand):
    help = (
        "Write the whole database (every table, the audit chain with its hashes and "
        "signatures) to FILE, gzip'd JSON lines, for `coalition restore` on SQLite or "
        "PostgreSQL. The audit signing key is not in it: keep it apart."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        if not path.parent.is_dir():
            raise CommandError(f"{file}: no such directory", returncode=2)
        try:
            result = backup_write(path=path)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}", returncode=2) from error
        self.stdout.write(
            f"{file}: {result.rows} rows of {result.tables} tables, "
            f"{result.audit_events} audit events"
        )
