"""ECB euro reference rates in the database: the shipped history (written at migration
time, `coalition rates load` writes it again), newer ECB files (`rates update FILE`), and
rates entered by hand for currencies the ECB does not publish (e.g. UAH). Amounts already
converted with a rate that changes are converted again (the ledger's EUR projection)."""

import hashlib
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.errors import FileRejected
from coalition.finance import ecb
from coalition.finance.errors import RateInvalid
from coalition.finance.ledger.projection import projection_rebuild
from coalition.finance.models import Rate, RateLoad, RateSource
from coalition.finance.money import EUR, is_currency
from coalition.finance.shipped_rates import rates_write, shipped_rates_load


@transaction.atomic
def rates_load(*, actor: Actor) -> int:
    """Write the shipped ECB history again (rows already stored are kept); returns the
    number of rates that were missing."""
    require(actor, "rates.manage")
    before = Rate.objects.count()
    RateLoad.objects.filter(kind="shipped", currency="").update(sha256="")
    shipped_rates_load(load_model=RateLoad)
    added = Rate.objects.count() - before
    audit_record(
        actor=actor,
        action="rates.loaded",
        object_type="rates",
        object_id=ecb.SHIPPED_NAME,
        changes={"added": added},
    )
    return added


def rates_update(*, actor: Actor, data: bytes, name: str) -> tuple[int, int]:
    """Load a newer ECB file (CSV or ZIP). Refused whole on any error. Returns
    (rates in the file, rates new or changed). The file is read before the write
    transaction opens, so other writers wait only for the write."""
    require(actor, "rates.manage")
    parsed = ecb.parse(data, name=name)
    if parsed.errors:
        raise FileRejected(parsed.errors)
    return _rates_file_write(actor=actor, parsed=parsed, digest=hashlib.sha256(data).hexdigest())


@transaction.atomic
def _rates_file_write(*, actor: Actor, parsed: ecb.EcbRates, digest: str) -> tuple[int, int]:
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
        rates_write(changed, source=RateSource.ECB, replace=True)
        for currency in {c for c, _, _ in changed}:
            since = min(d for c, d, _ in changed if c == currency)
            projection_rebuild(currencies={currency}, since=since)
        name = parsed.name
        RateLoad.objects.create(kind="file", name=name[:300], sha256=digest, rows=len(changed))
        audit_record(
            actor=actor,
            action="rates.updated",
            object_type="rates",
            object_id=name[:100],
            changes={"sha256": digest, "rows": len(rows), "changed": len(changed)},
        )
    return len(rows), len(changed)


def _ecb_last_date(currency: str) -> date | None:
    last: date | None = Rate.objects.filter(currency=currency, source=RateSource.ECB).aggregate(
        last=Max("date")
    )["last"]
    return last


@transaction.atomic
def rate_add(*, actor: Actor, currency: str, on: date, rate: Decimal) -> Rate:
    """A rate entered by hand (units of `currency` per euro on `on`)."""
    require(actor, "rates.manage")
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
            code="rate.published_by_ecb",
        )
    previous = Rate.objects.filter(currency=currency, date=on).first()
    obj, _ = Rate.objects.update_or_create(
        currency=currency, date=on, defaults={"rate": rate, "source": RateSource.MANUAL}
    )
    projection_rebuild(currencies={currency}, since=on)
    audit_record(
        actor=actor,
        action="rate.added",
        object_type="rate",
        object_id=f"{currency}:{on.isoformat()}",
        changes={"rate": rate, "previous": previous.rate if previous else None},
    )
    return obj
