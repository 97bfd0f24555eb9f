"""`coalition audit verify | head | public-key | check-head | heads`. Exit 0 intact, 1 a
problem (named), 2 bad input."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management.base import BaseCommand, CommandError

from coalition.audit.errors import KeyInvalid
from coalition.audit.heads import head_read, head_signature_problem
from coalition.audit.keys import configured_public_key, public_key_parse, public_key_text
from coalition.audit.selectors import Anchor, audit_head, audit_verify
from coalition.errors import DomainError


class Command(BaseCommand):
    help = (
        "Audit log: `verify` the chain (signatures with --public-key FILE or the configured "
        "key; every --head FILE must be in it; the witness too); `head` prints the current "
        "signed head as JSON, to keep outside; `public-key` prints the chain's public key; "
        "`check-head FILE... --public-key FILE` checks exported heads' signatures with the "
        "public key alone, without the database; `heads` verifies the chain as an auditor's "
        "button does and records the day's head (run it daily), `heads --export json|csv` "
        "prints the days' heads to keep."
    )
    # No system checks: they import every view (and plotly) for a one-line answer.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "action", choices=["verify", "head", "public-key", "check-head", "heads"]
        )
        parser.add_argument("files", nargs="*", metavar="HEAD.json", help="for check-head")
        parser.add_argument("--public-key", metavar="FILE", help="the public key to check with")
        parser.add_argument(
            "--head",
            metavar="HEAD.json",
            action="append",
            default=[],
            help="an exported head that must be in the chain (repeatable)",
        )
        parser.add_argument(
            "--export", choices=["json", "csv"], help="heads: print the days' heads instead"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if options["files"] and action != "check-head":
            raise CommandError(f"audit {action} takes no files", returncode=2)
        try:
            getattr(self, "_" + action.replace("-", "_"))(options)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from error

    def _verify(self, options: dict[str, Any]) -> None:
        key = _key_from(options["public_key"])
        exported = [Anchor(name, head_read(Path(name))) for name in options["head"]]
        report = audit_verify(public_key=key, exported=exported)
        if not report.ok:
            raise CommandError("audit chain broken: " + "; ".join(report.problems), returncode=1)
        against = f"; exported heads in it: {len(exported)}" if exported else ""
        self.stdout.write(f"audit chain intact: {report.events} events, signed{against}")

    def _head(self, options: dict[str, Any]) -> None:
        key = _key_from(options["public_key"])
        head = audit_head()
        if head is None:
            raise CommandError("the audit chain has no events yet", returncode=1)
        if problem := head_signature_problem(head, key, "the database"):
            raise CommandError(problem, returncode=1)
        self.stdout.write(head.to_json(key), ending="")

    def _heads(self, options: dict[str, Any]) -> None:
        from coalition.access.system import CLI
        from coalition.audit.selectors_days import audit_days, days_csv, days_json
        from coalition.audit.services_days import audit_chain_verify

        if options["export"]:
            days = audit_days(actor=CLI)
            self.stdout.write(
                (days_csv if options["export"] == "csv" else days_json)(days), ending=""
            )
            return
        result = audit_chain_verify(actor=CLI)
        if not result.intact:
            raise CommandError("audit chain broken: " + "; ".join(result.problems), returncode=1)
        recorded = (
            f"the head of {result.day.day.isoformat()} recorded"
            if result.day is not None
            else "today's head already there"
        )
        self.stdout.write(
            f"audit chain intact: {result.events} events, head #{result.seq} {result.head}; "
            + recorded
        )

    def _public_key(self, options: dict[str, Any]) -> None:
        self.stdout.write(public_key_text(_key_from(options["public_key"])))

    def _check_head(self, options: dict[str, Any]) -> None:
        if not options["files"] or not options["public_key"]:
            raise CommandError(
                "usage: coalition audit check-head HEAD.json... --public-key FILE", returncode=2
            )
        key = _key_from(options["public_key"])
        heads = [(name, head_read(Path(name))) for name in options["files"]]
        problems = [p for name, head in heads if (p := head_signature_problem(head, key, name))]
        if problems:
            raise CommandError("; ".join(problems), returncode=1)
        for name, head in heads:
            self.stdout.write(f"{name}: head #{head.seq} signed by the key")


def _key_from(name: str | None) -> Ed25519PublicKey:
    """From the file given, else the public half of the configured signing key."""
    if name is not None:
        try:
            text = Path(name).read_text()
        except (OSError, UnicodeDecodeError) as error:
            raise KeyInvalid(f"{name}: {getattr(error, 'strerror', None) or error}") from None
        return public_key_parse(text, name)
    key = configured_public_key()
    if key is None:
        raise KeyInvalid(
            "no audit signing key is configured here (AUDIT_SIGNING_KEY, or the key file "
            "under COALITION_HOME): give --public-key FILE"
        )
    return key
