"""ECB euro reference rates in the database: the shipped history (loaded per currency on
first use, or all at once by `coalition rates load`), newer ECB files, and rates entered
by hand for currencies the ECB does not publish (e.g. UAH)."""

import hashlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Max

from coalition.audit.services import Actor, audit_record
from coalition.errors import FileRejected
from coalition.finance import ecb
from coalition.finance.errors import RateInvalid
from coalition.finance.models import Rate, RateLoad, RateSource
from coalition.finance.money import EUR, RateBook, is_currency

INSERT_CHUNK = 5000


def _write(rows: list[tuple[str, date, Decimal]], *, source: str, replace: bool) -> None:
    """Bulk insert; `replace` overwrites a rate already stored for the same day."""
    table = connection.ops.quote_name(Rate._meta.db_table)
    on_conflict = (
        "DO UPDATE SET rate = excluded.rate, source = excluded.source" if replace else "DO NOTHING"
    )
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            cursor.executemany(
                f"INSERT INTO {table} (currency, date, rate, source) VALUES (%s, %s, %s, %s) "
                f"ON CONFLICT (currency, date) {on_conflict}",
                [(c, adapt(d), str(r), source) for c, d, r in rows[start : start + INSERT_CHUNK]],
            )


def _shipped_pending(currencies: Iterable[str] | None) -> list[str]:
    shipped = ecb.shipped_rates().rates
    wanted = set(shipped) if currencies is None else {c for c in currencies if c in shipped}
    if not wanted or RateLoad.objects.filter(kind="shipped", currency="").exists():
        return []
    done = set(
        RateLoad.objects.filter(kind="shipped", currency__in=wanted).values_list(
            "currency", flat=True
        )
    )
    return sorted(wanted - done)


def _load_shipped(currencies: list[str], *, actor: Actor) -> int:
    shipped = ecb.shipped_rates()
    rows = [(c, d, r) for c in currencies for d, r in shipped.rates[c].items()]
    _write(rows, source=RateSource.ECB, replace=False)
    RateLoad.objects.bulk_create(
        [RateLoad(kind="shipped", name=shipped.name, currency=c) for c in currencies],
        ignore_conflicts=True,
    )
    audit_record(
        actor=actor,
        action="rates.loaded",
        object_type="rates",
        object_id=ecb.SHIPPED_NAME,
        changes={"currencies": currencies, "rows": len(rows)},
    )
    return len(rows)


@transaction.atomic
def rates_ensure(*, currencies: Iterable[str], actor: Actor = "system") -> int:
    """Load the shipped ECB history of those currencies that have not been loaded yet."""
    pending = _shipped_pending(currencies)
    return _load_shipped(pending, actor=actor) if pending else 0


@transaction.atomic
def rates_load(*, actor: Actor) -> int:
    """Load the whole shipped ECB history (what has not been loaded yet)."""
    pending = _shipped_pending(None)
    return _load_shipped(pending, actor=actor) if pending else 0


@transaction.atomic
def rates_update(*, actor: Actor, data: bytes, name: str) -> tuple[int, int]:
    """Load a newer ECB file (CSV or ZIP). Refused whole on any error. Returns
    (rates in the file, rates new or changed)."""
    parsed = ecb.parse(data, name=name)
    if parsed.errors:
        raise FileRejected(parsed.errors)
    rows = parsed.rows()
    first = min(d for _, d, _ in rows)
    stored = {
        (c, d): r
        for c, d, r in Rate.objects.filter(
            currency__in=list(parsed.rates), date__gte=first
        ).values_list("currency", "date", "rate")
    }
    changed = [(c, d, r) for c, d, r in rows if stored.get((c, d)) != r]
    if changed:
        _write(changed, source=RateSource.ECB, replace=True)
        for currency in {c for c, _, _ in changed}:
            _rebuild(currency, min(d for c, d, _ in changed if c == currency))
        digest = hashlib.sha256(data).hexdigest()
        RateLoad.objects.create(kind="file", name=name[:300], sha256=digest, rows=len(changed))
        audit_record(
            actor=actor,
            action="rates.updated",
            object_type="rates",
            object_id=name[:100],
            changes={"sha256": digest, "rows": len(rows), "changed": len(changed)},
        )
    return len(rows), len(changed)


def _rebuild(currency: str, since: date) -> None:
    """Amounts already converted with the old rates are converted again."""
    from coalition.finance.ledger.projection import projection_rebuild

    projection_rebuild(currencies={currency}, since=since)


def _ecb_last_date(currency: str) -> date | None:
    shipped = ecb.shipped_rates().rates.get(currency)
    stored = Rate.objects.filter(currency=currency, source=RateSource.ECB).aggregate(
        last=Max("date")
    )["last"]
    candidates = [d for d in (max(shipped) if shipped else None, stored) if d is not None]
    return max(candidates) if candidates else None


def parse_rate(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise RateInvalid(f"'{text}' is not a rate", field="rate") from None
    exponent = value.as_tuple().exponent
    if not value.is_finite() or value <= 0:
        raise RateInvalid("the rate must be greater than zero", field="rate")
    if isinstance(exponent, int) and exponent < -6:
        raise RateInvalid("the rate has at most 6 decimal places", field="rate")
    if value.adjusted() >= 12:
        raise RateInvalid("the rate is too large", field="rate")
    return value


@transaction.atomic
def rate_add(*, actor: Actor, currency: str, on: date, rate: Decimal) -> Rate:
    """A rate entered by hand (units of `currency` per euro on `on`)."""
    currency = currency.strip().upper()
    if currency == EUR or not is_currency(currency):
        raise RateInvalid(
            f"'{currency}' is not an ISO 4217 currency other than EUR", field="currency"
        )
    last = _ecb_last_date(currency)
    if last is not None and on <= last:
        raise RateInvalid(
            f"the ECB publishes {currency} reference rates (up to {last}); "
            "load a newer ECB file with `coalition rates update FILE` instead",
            field="currency",
        )
    previous = Rate.objects.filter(currency=currency, date=on).first()
    obj, _ = Rate.objects.update_or_create(
        currency=currency, date=on, defaults={"rate": rate, "source": RateSource.MANUAL}
    )
    _rebuild(currency, on)
    audit_record(
        actor=actor,
        action="rate.added",
        object_type="rate",
        object_id=f"{currency}:{on.isoformat()}",
        changes={"rate": rate, "previous": previous.rate if previous else None},
    )
    return obj


def rate_book(
    currencies: Iterable[str], *, start: date | None = None, end: date | None = None
) -> RateBook:
    """The stored rates of `currencies` that look-ups between `start` and `end` can need:
    those in the period and the latest one before it."""
    wanted = sorted({c for c in currencies if c != EUR})
    rows: list[tuple[str, date, Decimal]] = []
    if not wanted:
        return RateBook()
    qs = Rate.objects.filter(currency__in=wanted)
    if end is not None:
        qs = qs.filter(date__lte=end)
    if start is not None:
        for currency in wanted:
            before = (
                Rate.objects.filter(currency=currency, date__lt=start)
                .order_by("-date")
                .values_list("currency", "date", "rate")
                .first()
            )
            if before:
                rows.append(before)
        qs = qs.filter(date__gte=start)
    rows += list(qs.values_list("currency", "date", "rate"))
    return RateBook.from_rows(rows)


def rate_on(currency: str, on: date) -> tuple[date, Decimal]:
    """The rate of `on` or the latest before it; NoRate when there is none."""
    return rate_book([currency], start=on, end=on).rate_on(currency, on)


def rate_ensure_on(currency: str, on: date) -> tuple[date, Decimal]:
    """As `rate_on`, loading the shipped history of the currency first when needed."""
    if currency != EUR and is_currency(currency):
        rates_ensure(currencies=[currency])
    return rate_on(currency, on)
