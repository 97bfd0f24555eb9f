"""Benchmark of the ledger store: N transactions posted through the batched service
(`ledger_post_many`: balance per currency, idempotency keys, floors, row locks, balances
and daily movements kept), beside a raw bulk insert of the same rows into the same
database (the floor), and the time of the totals query over them.

    .venv/bin/python bench/ledger.py [--n 1000000] [--batch 5000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/ledger.py

It works in a scratch database it creates and drops: a temporary SQLite file, or on the
PostgreSQL server of DATABASE_URL a database named coalition_bench_<pid>.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DONORS = ["LV", "GB", "SE", "NL", "DE", "DK", "CA", "NO", "PL", "FR"]
CURRENCIES = {"EUR": 1, "USD": 1, "GBP": 1, "SEK": 10, "NOK": 10}
EARMARKS = [("", ""), ("tactical-recon", "UA")]
DAYS = [date(2024, 1, 1) + timedelta(days=i) for i in range(731)]


@contextmanager
def scratch_database() -> Iterator[str]:
    """A database for this run only, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["COALITION_HOME"] = tmp
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"coalition_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["COALITION_HOME"] = tempfile.mkdtemp()
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _bench_actor() -> Any:
    from coalition.access.actor import Actor
    from coalition.access.policy import ALL_ACTIONS

    return Actor.system("bench", grants=ALL_ACTIONS)


def setup_coalition() -> tuple[Any, dict[str, str]]:
    """A coalition with members, and the accounts the benchmark moves money between."""
    from coalition.finance.services.funds import (
        AccountSpec,
        accounts_ensure,
        fund_get_or_create,
    )
    from coalition.governance.models import Country
    from coalition.governance.services.coalitions import coalition_create, membership_start

    bench = _bench_actor()

    coalition = coalition_create(
        actor=bench, slug="bench", name="Bench coalition", founded=date(2023, 1, 1)
    )
    specs: dict[str, AccountSpec] = {}
    for code in DONORS:
        country = Country.objects.get(code=code)
        membership_start(
            actor=bench,
            coalition=coalition,
            country=country,
            role="member",
            start=date(2023, 1, 1),
        )
        for channel in ("common-fund", "national"):
            fund = fund_get_or_create(coalition=coalition, channel=channel, donor=country)
            for category, origin in EARMARKS:
                for kind in ("pledged", "committed", "disbursed"):
                    specs[f"{code}:{channel}:{category}:{kind}"] = AccountSpec(
                        fund, kind, category, origin, code
                    )
                fund_code = fund.code
                for kind in ("pledges", "commitments", "available", "obligated", "paid"):
                    specs[f"{fund_code}:{category}:{kind}"] = AccountSpec(
                        fund, kind, category, origin
                    )
    accounts_ensure(list(specs.values()))
    return coalition, {name: spec.key for name, spec in specs.items()}


def generate(n: int, accounts: dict[str, str], seed: int = 1) -> list[Any]:
    """N valid transactions: donors' steps into funds, and spending that never overdraws."""
    from coalition.finance.ledger.core import Posting, Transaction

    rnd = random.Random(seed)
    held: dict[tuple[str, str], int] = defaultdict(int)
    txs = []
    step_source = {"pledged": "pledges", "committed": "commitments", "disbursed": "available"}
    for i in range(n):
        day = DAYS[i * len(DAYS) // n]
        currency = rnd.choice(list(CURRENCIES))
        minor = rnd.randint(1_000, 5_000_000) * CURRENCIES[currency]
        donor = rnd.choice(DONORS)
        channel = rnd.choice(("common-fund", "national"))
        category, _ = rnd.choice(EARMARKS)
        fund_code = "common-fund" if channel == "common-fund" else f"national:{donor}"
        roll = rnd.random()
        kind = "obligated" if roll < 0.85 else "paid"
        source = accounts[
            f"{fund_code}:{category}:{'available' if kind == 'obligated' else 'obligated'}"
        ]
        if roll >= 0.7 and held[(source, currency)] > 0:
            target = accounts[f"{fund_code}:{category}:{kind}"]
            minor = min(minor, held[(source, currency)])
        else:  # a donor's step; also when the earmark holds nothing to spend yet
            kind = rnd.choice(list(step_source))
            source = accounts[f"{donor}:{channel}:{category}:{kind}"]
            target = accounts[f"{fund_code}:{category}:{step_source[kind]}"]
        held[(source, currency)] -= minor
        held[(target, currency)] += minor
        amount = Decimal(minor).scaleb(-2)
        txs.append(
            Transaction(
                key=f"bench:{i}",
                date=day,
                kind=kind,
                postings=(Posting(source, currency, -amount), Posting(target, currency, amount)),
            )
        )
    return txs


def raw_insert(txs: list[Any], batch: int, accounts: dict[str, int]) -> float:
    """The floor: the same transaction and posting rows, inserted the fastest plain way
    (COPY on PostgreSQL, a prepared INSERT run many times on SQLite), no checks at all."""
    from django.db import connection, transaction
    from django.utils import timezone

    from coalition.finance.ledger import bulk
    from coalition.finance.models import LedgerTransaction, Posting

    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    start = time.perf_counter()
    next_id = 10_000_000
    for first in range(0, len(txs), batch):
        tx_rows, posting_rows = [], []
        for tx in txs[first : first + batch]:
            next_id += 1
            tx_rows.append((next_id, f"raw:{tx.key}", tx.date, tx.kind, "", stamp))
            for p in tx.postings:
                posting_rows.append((next_id, accounts[p.account], p.currency, p.minor, tx.date))
        with transaction.atomic():
            bulk.insert(
                LedgerTransaction._meta.db_table,
                ["id", "idempotency_key", "date", "kind", "memo", "recorded_at"],
                tx_rows,
            )
            bulk.insert(
                Posting._meta.db_table,
                ["transaction_id", "account_id", "currency", "amount_minor", "date"],
                posting_rows,
            )
    return time.perf_counter() - start


def empty_ledger() -> None:
    from django.db import connection, transaction

    from coalition.finance.models import AccountBalance, AccountYear, LedgerTransaction, Posting

    tables = [m._meta.db_table for m in (Posting, LedgerTransaction, AccountYear, AccountBalance)]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # TRUNCATE: no row triggers
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def store_post(txs: list[Any], batch: int) -> float:
    from coalition.finance.services.ledger import ledger_post_many

    bench = _bench_actor()
    start = time.perf_counter()
    for first in range(0, len(txs), batch):
        ledger_post_many(actor=bench, txs=txs[first : first + batch], label=f"bench {first}")
    return time.perf_counter() - start


def timed(fn: Any, repeat: int = 7) -> tuple[float, float]:
    """(first run, median of the others) in milliseconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return runs[0], statistics.median(runs[1:])


def check(coalition: Any) -> str:
    """Balances kept by the store equal the sum of the postings."""
    from django.db.models import Sum

    from coalition.finance.models import AccountBalance, Posting

    sums = {
        (a, c): s
        for a, c, s in Posting.objects.values_list("account_id", "currency").annotate(
            s=Sum("amount_minor")
        )
    }
    kept = {(b.account_id, b.currency): b.balance_minor for b in AccountBalance.objects.all()}
    bad = [k for k in set(sums) | set(kept) if sums.get(k, 0) != kept.get(k, 0)]
    below = AccountBalance.objects.filter(floor_zero=True, balance_minor__lt=0).count()
    return "ok" if not bad and not below else f"MISMATCH {len(bad)} balances, {below} below zero"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="transactions (default 1e6)")
    parser.add_argument("--batch", type=int, default=5000, help="transactions per batch")
    args = parser.parse_args()
    with scratch_database() as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", verbosity=0)
        from coalition.finance import selectors as finance
        from coalition.finance.models import Account
        from coalition.reporting import selectors

        coalition, names = setup_coalition()
        ids = dict(Account.objects.values_list("key", "id"))
        txs = generate(args.n, names)
        n = len(txs)
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        print(f"transactions: {n:,} ({2 * n:,} postings), batches of {args.batch:,}")
        raw = raw_insert(txs, args.batch, ids)
        empty_ledger()
        print(f"raw bulk insert (floor): {raw:8.1f} s  {n / raw:>10,.0f} tx/s")
        stored = store_post(txs, args.batch)
        print(f"store (ledger_post_many): {stored:7.1f} s  {n / stored:>10,.0f} tx/s")
        print(f"ratio store / raw: {stored / raw:.2f}x")
        print(f"balances equal the sum of the postings: {check(coalition)}")
        cold, warm = timed(lambda: selectors.totals(coalition=coalition, year=2024))
        print(f"totals query, one year: first {cold:.0f} ms, then median {warm:.0f} ms")
        cold, warm = timed(lambda: selectors.totals_by_year(coalition=coalition))
        print(f"totals per year, all years: first {cold:.0f} ms, then median {warm:.0f} ms")
        account = Account.objects.get(key=names["common-fund::available"])
        _, read = timed(lambda: finance.balance(account=account, currency="EUR"), repeat=21)
        print(f"one balance read: {read:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
