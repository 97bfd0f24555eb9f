"""Writers and a verifier on one database at once, each in its own process: the load under
which `audit_verify` must raise no false alarm (test_snapshot.py). Run by the tests as

    python tests/audit/chain_load.py setup | write SECONDS | verify SECONDS

with the database and the key from the environment (DATABASE_URL, COALITION_HOME,
AUDIT_SIGNING_KEY, AUDIT_WITNESS_FILE). Each prints one line of JSON."""

import json
import os
import sys
import time

from coalition.access.actor import Actor

TESTER = Actor.system("tester", grants=set())  # audit_record needs no grant


def record(i: int) -> None:
    """One event in its own transaction, as a service writes it."""
    from django.db import transaction

    from coalition.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            actor=TESTER,
            action="thing.done",
            object_type="thing",
            object_id=i,
            changes={"i": i, "amount": "12.50", "when": "2025-05-28"},
        )


def _write(seconds: float) -> dict[str, object]:
    deadline, written = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        record(written)
        written += 1
    return {"written": written}


def _verify(seconds: float) -> dict[str, object]:
    from coalition.audit import selectors
    from coalition.audit.selectors import audit_verify

    # Only the audit app's tables exist here: the chain alone is checked.
    selectors.CHECKS[:] = [selectors.head_check, selectors.anchors_check]

    deadline, runs, problems = time.monotonic() + seconds, 0, []
    while True:  # once at least
        report = audit_verify()
        runs += 1
        if not report.ok:
            problems.append(f"after {report.events} events: {report.problem}")
        if time.monotonic() >= deadline:
            return {"runs": runs, "problems": problems, "events": report.events}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    import django

    django.setup()
    if argv[0] == "setup":
        from django.core.management import call_command

        call_command("migrate", "audit", verbosity=0)
        result: dict[str, object] = {"migrated": True}
    else:
        result = {"write": _write, "verify": _verify}[argv[0]](float(argv[1]))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
