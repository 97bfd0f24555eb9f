from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.access.system import CLI
from coalition.errors import DomainError
from coalition.governance.services.users import token_create


class Command(BaseCommand):
    help = "API tokens: `token create USERNAME` prints a new token."
    # No system checks: they import every view (and plotly) for a one-line answer.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        try:
            token = token_create(actor=CLI, username=username)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error
        self.stdout.write(token)
