from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.access.system import CLI
from coalition.accounts.services import totp_reset
from coalition.errors import DomainError


class Command(BaseCommand):
    help = (
        "Two-factor: `two_factor reset USERNAME` removes the user's TOTP device (a lost "
        "phone); the next login asks for a new one where two-factor is required."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["reset"])
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        try:
            removed = totp_reset(actor=CLI, username=username)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error
        if removed:
            self.stdout.write(f"{username}: two-factor device removed; set up a new one at login")
        else:
            self.stdout.write(f"{username}: no two-factor device to remove")
