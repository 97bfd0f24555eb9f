"""Benchmark of signing the audit chain: N events through `audit_record` unsigned (the work
before signatures: `sign` replaced by a no-op), signed, and signed with the witness file
written after each commit; one event per transaction (a service call) and 100 per
transaction (the demo, an import); then `audit_verify` over the chain with the signature
checks replaced by a no-op (before) and as it is. Each figure is the median of 5 rounds,
the variants taking turns, each first in one round.

    .venv/bin/python bench/audit.py [--n 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/audit.py

It works in a scratch database (the one of bench/ledger.py): a temporary SQLite file, or
on the PostgreSQL server of DATABASE_URL a database it creates and drops.

Measured on SQLite (2 shared cores, other test suites running beside it, so about +-10 %
from run to run): per event, unsigned 1347 us, signed 1412 us (1.05x), signed + witness
1641 us (1.22x) one event per transaction; 1072, 1161 (1.08x), 1282 us (1.20x) a hundred
per transaction. In isolation an Ed25519 signature takes about 50 us, a check about
130 us, a witness write (lock, read, write in place) about 100 us, once per commit.
audit_verify over 10,000 events: 54 us per event with hashes only, 260 us with
signatures (4.8x).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from ledger import scratch_database  # also puts src/ on the path

ROUNDS = 5
VARIANTS = ["unsigned (before)", "signed", "signed + witness"]


def record(n: int, per_transaction: int) -> float:
    """n events, `per_transaction` in each transaction, as services write them."""
    from django.db import transaction

    from coalition.access.actor import Actor
    from coalition.audit.services import audit_record

    event = {"actor": Actor.system("bench", grants=set()), "object_type": "bench"}
    start = time.perf_counter()
    for first in range(0, n, per_transaction):
        with transaction.atomic():
            for i in range(first, min(n, first + per_transaction)):
                audit_record(**event, action="bench.done", object_id=i, changes={"i": i})
    return time.perf_counter() - start


@contextmanager
def variant(name: str, witness: Path) -> Iterator[None]:
    """An empty chain, and audit_record as the variant has it."""
    from django.conf import settings
    from django.db import connection

    from coalition.audit import witness as witness_module
    from coalition.audit.models import AuditEvent, AuditHead

    if connection.vendor == "postgresql":  # DELETE: refused by the append-only trigger
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent, audit_audithead")
    else:
        AuditEvent.objects.all().delete()
        AuditHead.objects.all().delete()
    if connection.vendor == "sqlite":  # each run from the same state of the file
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    witness.unlink(missing_ok=True)
    witness_module._known.clear()
    settings.AUDIT_WITNESS_FILE = str(witness) if name == "signed + witness" else ""
    if name == "unsigned (before)":
        with mock.patch("coalition.audit.services.sign", return_value=""):
            yield
    else:
        yield


def verify_time(check_signatures: bool) -> float:
    from coalition.audit.selectors import audit_verify

    patch = mock.patch("coalition.audit.selectors.signature_valid", return_value=True)
    start = time.perf_counter()
    if check_signatures:
        report = audit_verify()
    else:
        with patch:
            report = audit_verify()
    took = time.perf_counter() - start
    assert report.ok, report.problem
    return took


def medians(runs: dict[str, list[float]]) -> dict[str, float]:
    return {name: statistics.median(times) for name, times in runs.items()}


def line(label: str, seconds: float, n: int, base: float) -> str:
    each = seconds / n * 1e6
    return f"  {label:<20} {seconds:7.3f} s  {each:7.1f} us/event  {seconds / base:5.2f}x"


def compare(title: str, n: int, run: Callable[[str], float], names: list[str]) -> None:
    runs: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(ROUNDS):
        for name in names[round_:] + names[:round_]:  # each variant first once
            runs[name].append(run(name))
    figures = medians(runs)
    print(title)
    for name in names:
        print(line(name, figures[name], n, figures[names[0]]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="audit_record calls (10,000)")
    args = parser.parse_args()
    n = args.n
    with scratch_database() as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", "audit", verbosity=0)
        witness = Path(tempfile.mkdtemp()) / "audit_witness.json"
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        print(f"{n:,} audit_record calls; median of {ROUNDS} rounds; ratio to unsigned")
        for per in (1, 100):

            def run(name: str, per: int = per) -> float:
                with variant(name, witness):
                    return record(n, per)

            compare(f"{per} event(s) per transaction:", n, run, VARIANTS)

        def verify(name: str) -> float:
            return verify_time(check_signatures=name == "signatures checked")

        with variant("signed", witness):
            record(n, 100)
            compare(
                f"audit_verify over {n:,} signed events:",
                n,
                verify,
                ["hashes only (before)", "signatures checked"],
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
