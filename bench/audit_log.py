"""Benchmark of the auditor's view over a long chain: N events (one in a hundred by the
actor "rare"), then the page `/audit/` (the newest 50; filtered by actor; the last page),
the API page of 100, the CSV of every event, and verifying the chain from the web. Each
figure is the median of 5 requests through Django's test client (no network), as an admin.

    .venv/bin/python bench/audit_log.py [--n 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/audit_log.py

It works in a scratch database (the one of bench/ledger.py).

Measured on SQLite, 100,000 events (2 shared cores, other helpers' tests beside it): the
page's newest 50 25.8 ms, filtered by actor 45.5 ms, its last page 30.8 ms, a refused
filter 10.1 ms; the API's 100 newest 12.6 ms, by actor 37.4 ms; the CSV of all 100,000
events 7.3 s (streamed); verifying the chain from the web 30.9 s (once). Before the
filters' suggestions were read from the newest 5,000 events only and the table's labels
translated once per page, the page took 185 ms, and 103 ms for a refused filter.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable

from ledger import scratch_database  # also puts src/ on the path

ROUNDS = 5


def fill(n: int) -> float:
    from django.db import transaction

    from coalition.access.actor import Actor
    from coalition.audit.services import audit_record

    common, rare = Actor.system("bench", grants=set()), Actor.system("rare", grants=set())
    start = time.perf_counter()
    for first in range(0, n, 100):
        with transaction.atomic():
            for i in range(first, min(n, first + 100)):
                audit_record(
                    actor=rare if i % 100 == 0 else common,
                    action="bench.done",
                    object_type="bench",
                    object_id=i,
                    changes={"i": i, "amount": "12.50", "note": "a change worth keeping"},
                )
    return time.perf_counter() - start


def timed(call: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="events in the chain (100,000)")
    n = parser.parse_args().n
    with scratch_database() as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor}; {n:,} events written in {fill(n):.1f} s")
        admin = get_user_model().objects.create_superuser("bench-admin", password="x")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(admin)
        last = (n + 49) // 50

        def get(path: str, status: int = 200) -> Callable[[], object]:
            def call() -> object:
                response = client.get(path)
                assert response.status_code == status, (path, response.status_code)
                if response.streaming:
                    return sum(len(chunk) for chunk in response.streaming_content)
                return response.content

            return call

        cases = [
            ("page: the newest 50", get("/audit/")),
            ("page: actor=rare", get("/audit/?actor=rare")),
            (f"page: the last ({last:,})", get(f"/audit/?page={last}")),
            ("page: from > until (error)", get("/audit/?from=2026-02-01&until=2026-01-01")),
            ("API: 100 newest", get("/api/v1/audit/events")),
            ("API: actor=rare, 100", get("/api/v1/audit/events?actor=rare")),
            ("CSV: every event", get("/audit/?export=csv")),
        ]
        print(f"median of {ROUNDS} requests:")
        for label, call in cases:
            print(f"  {label:<28} {timed(call) * 1000:9.1f} ms")
        start = time.perf_counter()
        response = client.post("/audit/verify/")
        took = time.perf_counter() - start
        assert response.status_code == 302
        print(f"  {'verify the chain (once)':<28} {took * 1000:9.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
