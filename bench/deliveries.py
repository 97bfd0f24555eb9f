"""Benchmark of delivery manifests: a manifest of N serials imported through the service
(`deliveries_import`: every row checked, each chunk's serials looked up, the orders locked,
the items inserted, the counts raised, one audit event), beside a raw bulk insert of the
same rows into the same table read from the same file (the floor: COPY on PostgreSQL, a
prepared INSERT run many times on SQLite, no checks at all), with the peak memory of each.

    .venv/bin/python bench/deliveries.py [--rows 1000000] [--database sqlite|postgres]

Time is wall-clock. Peak memory is tracemalloc's peak of the Python heap during the
import alone, measured in a second run of the same import into the emptied table (tracing
slows Python down, so the timed run is not traced). It works in a scratch database it
creates and drops (see bench/ledger.py); `--database postgres` uses the server of
DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test.
"""

import argparse
import csv
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ledger import scratch_database  # noqa: E402  (bench/ledger.py, beside this file)

POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
ORDERS = 10
CHUNK = 5_000


def _actor() -> Any:
    from coalition.access.actor import Actor
    from coalition.access.policy import ALL_ACTIONS

    return Actor.system("bench", grants=ALL_ACTIONS)


def setup(rows: int) -> tuple[Any, list[str]]:
    """A coalition with ORDERS signed orders, together holding every row of the file,
    made directly with the ORM (the purchase that would lead to them is not measured)."""
    from coalition.governance.models import Category, Country
    from coalition.governance.services.coalitions import coalition_create
    from coalition.procurement.models import Competition, Offer, Order, PlanRun, Supplier

    coalition = coalition_create(
        actor=_actor(), slug="bench", name="Bench coalition", founded=date(2024, 1, 1)
    )
    category = Category.objects.order_by("slug").first()
    assert category is not None, "migrate creates the capability categories"
    country = Country.objects.get(code="UA")
    competition = Competition.objects.create(
        coalition=coalition,
        reference="BENCH",
        category=category,
        budget_minor=10**15,
        currency="EUR",
        bid_deadline=date(2025, 1, 1),
    )
    plan = PlanRun.objects.create(coalition=coalition, scenario={}, time_limit=1)
    quantity = rows // ORDERS + 1
    references = []
    for n in range(ORDERS):
        supplier = Supplier.objects.create(coalition=coalition, name=f"S{n}", country=country)
        offer = Offer.objects.create(
            competition=competition,
            reference=f"O{n}",
            supplier=supplier,
            origin=country,
            currency="EUR",
            capacity_per_30_days=quantity,
            lead_time_days=1,
            received_on=date(2024, 12, 1),
        )
        order = Order.objects.create(
            coalition=coalition,
            reference=f"PO-{n:02d}",
            plan=plan,
            offer=offer,
            supplier=supplier,
            category=category,
            currency="EUR",
            quantity=quantity,
            unit_price_minor=100,
            amount_minor=100 * quantity,
            signed_on=date(2025, 1, 1),
        )
        references.append(order.reference)
    return coalition, references


def write_manifest(path: Path, rows: int, orders: list[str]) -> None:
    """N rows: serial, order (in turn), a delivery day of 2025, a lot of 1,000 items."""
    days = [date(2025, 2, 1) + timedelta(days=d) for d in range(300)]
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["serial", "order", "delivered_on", "lot"])
        for n in range(rows):
            writer.writerow(
                [f"UA-{n:09d}", orders[n % len(orders)], days[n * 300 // rows], f"L{n // 1000}"]
            )


def raw_insert(path: Path, batch_id: int, ids: dict[str, int]) -> float:
    """The floor: the file read with the csv module and its rows inserted as they are."""
    from django.db import transaction

    from coalition.finance.ledger import bulk
    from coalition.procurement.models import DeliveredItem

    table = DeliveredItem._meta.db_table
    columns = ["order_id", "serial", "delivered_on", "lot", "batch_id", "row", "status"]
    start = time.perf_counter()
    with transaction.atomic(), path.open(newline="") as file:
        reader = csv.reader(file)
        next(reader)
        chunk: list[tuple[object, ...]] = []
        for number, (serial, order, day, lot) in enumerate(reader, start=2):
            chunk.append(
                (ids[order], serial, date.fromisoformat(day), lot, batch_id, number, "delivered")
            )
            if len(chunk) == CHUNK:
                bulk.insert(table, columns, chunk)
                chunk = []
        bulk.insert(table, columns, chunk)
    return time.perf_counter() - start


def empty() -> None:
    from django.db import connection, transaction

    from coalition.procurement.models import DeliveredItem, DeliveryBatch, Order

    with transaction.atomic():
        DeliveredItem.objects.all()._raw_delete(DeliveredItem.objects.db)
        DeliveryBatch.objects.all().delete()
        Order.objects.update(delivered=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def service(coalition: Any, path: Path) -> tuple[float, Any]:
    from coalition.procurement.services.deliveries import deliveries_import

    start = time.perf_counter()
    with path.open("rb") as file:
        result = deliveries_import(actor=_actor(), coalition=coalition, data=file, name=path.name)
    return time.perf_counter() - start, result


def traced(run: Callable[[], Any]) -> int:
    """tracemalloc's peak (bytes) of the Python heap while `run` runs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="serials (default 1e6)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--no-memory", action="store_true", help="skip the traced run")
    parser.add_argument(
        "--floor-memory", action="store_true", help="also trace the raw insert's memory"
    )
    args = parser.parse_args()
    if args.database == "postgres":
        url = os.environ.get("DATABASE_URL", "")
        os.environ["DATABASE_URL"] = url if url.startswith("postgres") else POSTGRES
    else:
        os.environ.pop("DATABASE_URL", None)
    with scratch_database() as url, tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", verbosity=0)
        from coalition.procurement.models import DeliveredItem, DeliveryBatch, Order

        coalition, orders = setup(args.rows)
        path = Path(tmp) / "manifest.csv"
        write_manifest(path, args.rows, orders)
        size = path.stat().st_size
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        print(f"manifest: {args.rows:,} rows, {size / 1e6:.1f} MB, {len(orders)} orders")
        ids = dict(Order.objects.values_list("reference", "id"))
        floor_batch = DeliveryBatch.objects.create(coalition=coalition, name="raw", digest="")
        raw = raw_insert(path, floor_batch.pk, ids)
        print(f"raw bulk insert (floor):  {raw:7.1f} s  {args.rows / raw:>9,.0f} rows/s")
        empty()
        took, result = service(coalition, path)
        print(f"deliveries_import:        {took:7.1f} s  {args.rows / took:>9,.0f} rows/s")
        print(f"ratio import / raw: {took / raw:.2f}x")
        stored = DeliveredItem.objects.count()
        delivered = sum(Order.objects.values_list("delivered", flat=True))
        ok = result.written == stored == delivered == args.rows
        print(
            f"written {result.written:,}, stored {stored:,}, orders' counts {delivered:,}: "
            f"{'ok' if ok else 'MISMATCH'}"
        )
        again = service(coalition, path)[0]
        print(f"the same file again (all known, nothing written): {again:.1f} s")
        if not args.no_memory:
            empty()
            peak = traced(lambda: service(coalition, path))
            print(f"peak Python heap of the import (tracemalloc): {peak / 1e6:.1f} MB")
        if args.floor_memory:
            empty()
            floor_batch = DeliveryBatch.objects.create(coalition=coalition, name="raw", digest="")
            peak = traced(lambda: raw_insert(path, floor_batch.pk, ids))
            print(f"peak Python heap of the raw insert: {peak / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
