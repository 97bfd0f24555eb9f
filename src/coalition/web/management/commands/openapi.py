"""`coalition openapi [--check FILE]`: print the API schema, or fail when FILE differs."""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


def schema_text() -> str:
    from coalition.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI schema, or check that a committed copy matches it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--check", metavar="FILE")
        parser.add_argument("--write", metavar="FILE")

    def handle(self, *args: Any, check: str | None, write: str | None, **options: Any) -> None:
        text = schema_text()
        if write:
            Path(write).write_text(text)
            return
        if check:
            path = Path(check)
            if not path.exists() or path.read_text() != text:
                raise CommandError(
                    f"{check} differs from the generated OpenAPI schema; "
                    f"run `coalition openapi --write {check}` and commit it",
                    returncode=1,
                )
            self.stdout.write(f"{check} matches the generated schema")
            return
        self.stdout.write(text, ending="")
