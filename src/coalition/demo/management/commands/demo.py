from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from coalition.demo.services import demo_is_loaded, demo_load, demo_logins


class Command(BaseCommand):
    help = "Load the drone coalition demo."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--reset", action="store_true", help="empty the database first")
        parser.add_argument(
            "--if-empty", action="store_true", help="load only when the demo is not there yet"
        )
        parser.add_argument(
            "--facts-only",
            action="store_true",
            help="leave out the illustrative purchase exercise (competition DC-ISR-2025)",
        )

    def handle(
        self, *args: Any, reset: bool, if_empty: bool, facts_only: bool, **options: Any
    ) -> None:
        if reset:
            # flush empties the countries too; governance's post_migrate hook, which
            # flush triggers, puts them back.
            call_command("flush", interactive=False, verbosity=0)
        if demo_is_loaded():
            if not if_empty:
                self.stderr.write("the demo is already loaded; use --reset to start over")
                raise SystemExit(2)
            self.stdout.write("the demo is already loaded")
        else:
            demo_load(with_exercise=not facts_only)
            self.stdout.write(
                "loaded the drone coalition demo"
                + ("" if facts_only else " and its illustrative purchase exercise (DC-ISR-2025)")
            )
        self.stdout.write("\ndemo logins (password: demo):")
        for username, what in demo_logins():
            self.stdout.write(f"  {username:<16} {what}")
