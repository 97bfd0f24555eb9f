from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Audit log commands: `audit verify` checks the hash chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if not report.ok:
            raise CommandError(f"audit chain broken: {report.problem}", returncode=1)
        self.stdout.write(f"audit chain intact: {report.events} events")
