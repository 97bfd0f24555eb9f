"""The donors' movements per year in EUR, kept beside the ledger for the totals.

Each posting on a donor's account (pledged, committed, disbursed) is converted at the ECB
rate of its date, half-even to the cent, when it is posted; the sums per account,
currency and year live in AccountYear, so totals read a few rows however many
transactions there are. When rates change, `projection_rebuild` recomputes them.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from coalition.finance.errors import LedgerInvalid
from coalition.finance.ledger import bulk, core
from coalition.finance.models import DONOR_KINDS, AccountYear, Posting
from coalition.finance.money import CENT, MAX_BALANCE_MINOR, RateBook, from_minor
from coalition.finance.selectors import rate_book


def eur_cents(book: RateBook, minor: int, currency: str, on: date) -> int:
    """One posting in EUR cents at the rate of its date (half-even to the cent)."""
    return int(book.to_eur(from_minor(minor, currency), currency, on) / CENT)


def years_of(
    txs: Sequence[core.Transaction], accounts: dict[str, tuple[int, bool]]
) -> dict[tuple[int, str, int], tuple[int, int]]:
    """{(account id, currency, year): (minor units, EUR cents)} of the postings of `txs`
    on donor accounts; `accounts`: {key: (id, is a donor account)}."""
    projected = [(tx.date, p) for tx in txs for p in tx.postings if accounts[p.account][1]]
    if not projected:
        return {}
    currencies = {p.currency for _, p in projected}
    days = [d for d, _ in projected]
    book = rate_book(currencies, start=min(days), end=max(days))
    years: dict[tuple[int, str, int], list[int]] = defaultdict(lambda: [0, 0])
    for day, p in projected:
        row = years[(accounts[p.account][0], p.currency, day.year)]
        row[0] += p.minor
        row[1] += eur_cents(book, p.minor, p.currency, day)
    return {k: (v[0], v[1]) for k, v in years.items()}


def _within_limits(years: dict[tuple[int, str, int], tuple[int, int]]) -> None:
    """LedgerInvalid before the write when a yearly total would pass MAX_BALANCE_MINOR
    (in its currency or in EUR cents: a tiny rate typed by hand makes a huge EUR value)."""
    keys = sorted(years)
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        stored = AccountYear.objects.filter(
            account_id__in={a for a, _, _ in part}, year__in={y for _, _, y in part}
        ).values_list("account_id", "currency", "year", "amount_minor", "eur_cents")
        current = {(a, c, y): (m, e) for a, c, y, m, e in stored}
        for key in part:
            old = current.get(key, (0, 0))
            if any(abs(o + d) > MAX_BALANCE_MINOR for o, d in zip(old, years[key], strict=True)):
                raise LedgerInvalid(
                    f"a donor's {key[2]} total in {key[1]} would pass the limit of a balance "
                    f"({MAX_BALANCE_MINOR:,} minor units)",
                    field="amount",
                    code="ledger.balance_limit",
                )


def add(years: dict[tuple[int, str, int], tuple[int, int]]) -> None:
    _within_limits(years)
    bulk.upsert(
        AccountYear._meta.db_table,
        ["account_id", "currency", "year", "amount_minor", "eur_cents"],
        ["account_id", "currency", "year"],
        [(a, c, y, m, e) for (a, c, y), (m, e) in sorted(years.items())],
        add=["amount_minor", "eur_cents"],
    )


def projection_rebuild(*, currencies: set[str], since: date) -> None:
    """Recompute the EUR values of the donors' yearly movements in `currencies` from
    `since`'s year on, after rates changed (postings themselves never change)."""
    first = date(since.year, 1, 1)
    for currency in sorted(currencies):
        rows = list(
            Posting.objects.filter(
                account__kind__in=sorted(DONOR_KINDS), currency=currency, date__gte=first
            ).values_list("account_id", "date", "amount_minor")
        )
        if not rows:
            continue
        book = rate_book([currency], start=first)
        cents: dict[tuple[int, int], int] = defaultdict(int)
        for account_id, day, minor in rows:
            cents[(account_id, day.year)] += eur_cents(book, minor, currency, day)
        for (account_id, year), value in cents.items():
            if abs(value) > MAX_BALANCE_MINOR:
                raise LedgerInvalid(
                    f"at the new {currency} rates a donor's {year} total would pass the "
                    f"limit of a balance ({MAX_BALANCE_MINOR:,} EUR cents)",
                    field="rate",
                    code="ledger.balance_limit",
                )
            AccountYear.objects.filter(account_id=account_id, currency=currency, year=year).update(
                eur_cents=value
            )
