"""Reads across apps for reports: yearly totals by member, channel and category (from the
ledger's EUR projection), the figures sources report, and the tables and charts built on
them. Finance keeps money and the ledger; reporting reads them.

Totals read the donors' yearly movements in EUR that the ledger keeps (AccountYear), not
its postings: a year costs a few rows per donor account however many transactions there
are. Each posting was converted at the ECB rate of its date (or the latest before it),
rounded half-even to the cent, when it was posted.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from coalition.api_cache import HEAD_TABLE, version_text
from coalition.finance.models import DONOR_KINDS, STATUS_ORDER, AccountYear, Channel, ReportedFigure
from coalition.finance.money import CENT
from coalition.governance.models import Coalition

ZERO = Decimal("0.00")
CHANNEL_ORDER = [c.value for c in Channel]


@dataclass
class Figures:
    pledged: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO

    def add(self, status: str, amount: Decimal) -> None:
        setattr(self, status, getattr(self, status) + amount)

    def as_dict(self) -> dict[str, str]:
        return {s: str(getattr(self, s)) for s in STATUS_ORDER}


@dataclass
class Totals:
    year: int
    total: Figures = field(default_factory=Figures)
    by_member: dict[str, Figures] = field(default_factory=dict)
    by_channel: dict[str, Figures] = field(default_factory=dict)
    by_category: dict[str, Figures] = field(default_factory=dict)


@dataclass(frozen=True)
class Movement:
    country: str
    channel: str
    category: str
    status: str
    year: int
    eur: Decimal


def movements(
    *, coalition: Coalition, year: int | None = None, donor: str | None = None
) -> list[Movement]:
    """The donors' status steps in EUR per account and year (positive amounts)."""
    qs = AccountYear.objects.filter(account__coalition=coalition, account__kind__in=DONOR_KINDS)
    if year is not None:
        qs = qs.filter(year=year)
    if donor:
        qs = qs.filter(account__country_id=donor)
    rows = qs.values_list(
        "account__country_id",
        "account__fund__channel",
        "account__category",
        "account__kind",
        "year",
        "eur_cents",
    )
    # Summed here, in Python's unbounded integers: SQLite's SUM of many rows near the
    # limit of a balance would overflow 64 bits.
    cents: dict[tuple[str, str, str, str, int], int] = defaultdict(int)
    for *group, value in rows:
        cents[tuple(group)] += value  # type: ignore[index]
    return [
        Movement(country, channel, category, kind, y, -Decimal(total) * CENT)
        for (country, channel, category, kind, y), total in cents.items()
        if total
    ]


def _sorted(groups: dict[str, Figures], order: list[str] | None = None) -> dict[str, Figures]:
    def key(name: str) -> tuple[int, str]:
        if order is not None and name in order:
            return (order.index(name), name)
        return (len(order or []) + (1 if name == "" else 0), name)

    return {k: groups[k] for k in sorted(groups, key=key)}


def totals(*, coalition: Coalition, year: int, donor: str | None = None) -> Totals:
    """Pledged, committed and disbursed in `year` (each step counted in the year of its
    date, converted at that date), whole and by member, channel and category."""
    result = Totals(year=year)
    by: dict[str, dict[str, Figures]] = {"m": {}, "ch": {}, "cat": {}}
    for m in movements(coalition=coalition, year=year, donor=donor):
        result.total.add(m.status, m.eur)
        for group, name in (("m", m.country), ("ch", m.channel), ("cat", m.category)):
            by[group].setdefault(name, Figures()).add(m.status, m.eur)
    result.by_member = _sorted(by["m"])
    result.by_channel = _sorted(by["ch"], CHANNEL_ORDER)
    result.by_category = _sorted(by["cat"])
    return result


def totals_by_year(*, coalition: Coalition, donor: str | None = None) -> dict[int, Figures]:
    years: dict[int, Figures] = defaultdict(Figures)
    for m in movements(coalition=coalition, donor=donor):
        years[m.year].add(m.status, m.eur)
    return dict(sorted(years.items()))


def reported_figures(*, coalition: Coalition, year: int | None = None) -> QuerySet[ReportedFigure]:
    qs = ReportedFigure.objects.filter(coalition=coalition).select_related("source", "country")
    return qs.filter(year=year) if year is not None else qs


_PUBLIC_PAGE_VERSION_SQL = (
    "SELECT h.seq, h.hash, c.confidential_prices, c.confidential_suppliers "
    f"FROM (SELECT 1 AS one) AS x LEFT JOIN {HEAD_TABLE} h ON h.id = 1 "
    f"LEFT JOIN {Coalition._meta.db_table} c ON c.slug = %s"
)


def public_page_version(*, slug: str) -> str:
    """The public page's version for the page cache: the data's version and what the
    coalition hides (its prices and suppliers flags), so that a flag set even without
    its audit event never shows a stale page. One query in plain SQL: it is asked on
    every anonymous visit, and on PostgreSQL a second round trip cost a fifth of the
    page's rate (bench/api.py)."""
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_PAGE_VERSION_SQL, [slug])
        seq, digest, prices, suppliers = cursor.fetchone()
    hidden = "" if prices is None else f"{int(prices)}{int(suppliers)}"
    return f"{version_text(seq, digest)}:{hidden}"
