from argparse import ArgumentParser
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coalition.access.system import CLI
from coalition.errors import DomainError
from coalition.governance.models import ApiToken
from coalition.governance.selectors_tokens import token_find, tokens_list
from coalition.governance.services.tokens import token_create, token_revoke

COLUMNS = ("id", "prefix", "user", "name", "scope", "created", "expires", "last used", "status")


def _when(moment: datetime | None, empty: str = "-") -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else empty


def table(tokens: list[ApiToken], now: datetime) -> list[str]:
    """The rows of `token list`, in aligned columns under a header."""
    rows = [COLUMNS] + [
        (
            str(t.pk),
            t.prefix,
            t.user.get_username(),
            t.name or "-",
            t.scope,
            _when(t.created),
            _when(t.expires, "never"),
            _when(t.last_used),
            t.status(now),
        )
        for t in tokens
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


class Command(BaseCommand):
    help = (
        "API tokens: `token create USERNAME [--name N] [--read-only] [--expires-in DAYS | "
        "--expires-on DATE | --no-expiry]` prints a new token (it expires in 90 days unless "
        "told otherwise); `token list [USERNAME]`; `token revoke PREFIX_OR_ID`."
    )
    # No system checks: they import every view (and plotly) for a one-line answer.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("target", nargs="?", help="USERNAME, or the token's PREFIX_OR_ID")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument("--read-only", action="store_true", help="GET requests only")
        parser.add_argument("--expires-in", type=int, metavar="DAYS", help="default: 90")
        parser.add_argument("--expires-on", metavar="YYYY-MM-DD", help="expires at that midnight")
        parser.add_argument("--no-expiry", action="store_true", help="a token that never expires")

    def handle(self, *args: Any, action: str, target: str | None, **options: Any) -> None:
        try:
            if action == "create":
                self._create(target, options)
            elif action == "list":
                for line in table(list(tokens_list(actor=CLI, username=target)), timezone.now()):
                    self.stdout.write(line)
            else:
                if not target:
                    raise CommandError("token revoke needs PREFIX_OR_ID", returncode=2)
                found = token_revoke(actor=CLI, token_id=token_find(actor=CLI, key=target).pk)
                self.stdout.write(f"revoked token {found.pk} ({found.prefix}…) of {found.user}")
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error

    def _create(self, username: str | None, options: dict[str, Any]) -> None:
        if not username:
            raise CommandError("token create needs USERNAME", returncode=2)
        given = [o for o in ("expires_in", "expires_on") if options[o] is not None]
        if len(given) + bool(options["no_expiry"]) > 1:
            raise CommandError(
                "give one of --expires-in, --expires-on and --no-expiry", returncode=2
            )
        expires = None
        if options["expires_in"] is not None:
            if options["expires_in"] < 1:
                raise CommandError("--expires-in: a whole number of days, 1 or more", returncode=2)
            expires = timezone.now() + timedelta(days=options["expires_in"])
        elif options["expires_on"] is not None:
            try:
                day = date.fromisoformat(options["expires_on"])
            except ValueError:
                raise CommandError(
                    f"--expires-on: '{options['expires_on']}' is not a date (YYYY-MM-DD)",
                    returncode=2,
                ) from None
            expires = timezone.make_aware(datetime.combine(day, time.min))
        token = token_create(
            actor=CLI,
            username=username,
            name=options["name"],
            read_only=options["read_only"],
            expires=expires,
            never_expires=options["no_expiry"],
        )
        self.stdout.write(token)
