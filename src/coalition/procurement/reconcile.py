"""Reconciliation arithmetic, without Django: which requirement each delivered item
counts for, what is late, and the tallies of ordered, delivered, accepted, rejected, paid
and outstanding that the reconciliation page sums per order, supplier, requirement and
fund.

An order's items are counted in the order they arrived, against its lines in the order of
their due dates (earliest first): the first arrivals fill the earliest-due line. Rejected
items count for nothing; their replacements count when they arrive."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Line:
    """`quantity` units of an order for one requirement, due by `due`, needed by
    `needed_by` (the requirement's date)."""

    requirement: int
    quantity: int
    due: date
    needed_by: date


@dataclass(frozen=True)
class Arrival:
    """`count` active items (not rejected) of an order delivered on `on`, `accepted` of
    them accepted so far."""

    on: date
    count: int
    accepted: int = 0


@dataclass
class LineCover:
    requirement: int
    quantity: int
    due: date
    needed_by: date
    delivered: int = 0
    accepted: int = 0
    on_time: int = 0  # delivered by the requirement's needed-by date
    last: date | None = None  # the day its last counted item arrived

    def late(self, today: date) -> int:
        """Units delivered after needed-by, or still missing once needed-by has passed."""
        after = self.delivered - self.on_time
        missing = self.quantity - self.delivered if self.needed_by < today else 0
        return after + missing


def close(covers: list[LineCover]) -> int:
    """An order closed: each line shrinks to what it got (the rest was released and will
    not come, so it is neither outstanding nor late). Returns the units released."""
    released = 0
    for cover in covers:
        released += cover.quantity - cover.delivered
        cover.quantity = cover.delivered
    return released


def allocate(lines: Sequence[Line], arrivals: Iterable[Arrival]) -> list[LineCover]:
    """Fill `lines` (earliest due first) with `arrivals` (earliest first); accepted items
    are counted first within each day's arrivals."""
    covers = [
        LineCover(line.requirement, line.quantity, line.due, line.needed_by)
        for line in sorted(lines, key=lambda x: (x.due, x.requirement))
    ]
    slot = 0
    for arrival in sorted(arrivals, key=lambda a: a.on):
        count, accepted = arrival.count, arrival.accepted
        while count > 0 and slot < len(covers):
            cover = covers[slot]
            taken = min(count, cover.quantity - cover.delivered)
            taken_accepted = min(accepted, taken)
            cover.delivered += taken
            cover.accepted += taken_accepted
            if arrival.on <= cover.needed_by:
                cover.on_time += taken
            cover.last = arrival.on
            count -= taken
            accepted -= taken_accepted
            if cover.delivered == cover.quantity:
                slot += 1
    return covers


@dataclass
class Tally:
    """Units and money (minor units per currency) of one row of the reconciliation."""

    ordered: int = 0
    delivered: int = 0
    accepted: int = 0
    rejected: int = 0
    late: int = 0
    released: int = 0  # units an order closed without: they will not come
    ordered_minor: dict[str, int] = field(default_factory=dict)
    accepted_minor: dict[str, int] = field(default_factory=dict)
    paid_minor: dict[str, int] = field(default_factory=dict)

    @property
    def awaiting(self) -> int:
        """Delivered, not rejected, not yet accepted: awaiting inspection."""
        return self.delivered - self.rejected - self.accepted

    @property
    def outstanding(self) -> int:
        """Units still to arrive (a rejected item is to be replaced)."""
        return max(self.ordered - self.released - (self.delivered - self.rejected), 0)

    def unpaid_minor(self) -> dict[str, int]:
        """Accepted and not yet paid, per currency."""
        currencies = set(self.accepted_minor) | set(self.paid_minor)
        return {
            c: self.accepted_minor.get(c, 0) - self.paid_minor.get(c, 0) for c in sorted(currencies)
        }

    def add(self, other: "Tally") -> None:
        for name in ("ordered", "delivered", "accepted", "rejected", "late", "released"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("ordered_minor", "accepted_minor", "paid_minor"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for currency, minor in theirs.items():
                mine[currency] = mine.get(currency, 0) + minor


def cumulative(points: Iterable[tuple[date, int]]) -> list[tuple[date, int]]:
    """Running totals by day, one point per day, in date order."""
    by_day: dict[date, int] = {}
    for day, count in points:
        by_day[day] = by_day.get(day, 0) + count
    total, out = 0, []
    for day in sorted(by_day):
        total += by_day[day]
        out.append((day, total))
    return out


def unpaid_old(
    arrivals: Iterable[Arrival], *, paid_units: int, cutoff: date
) -> tuple[int, date | None]:
    """Items delivered on or before `cutoff` beyond the `paid_units` the payments cover
    (the earliest arrivals count as paid first); and the oldest such arrival."""
    covered = paid_units
    unpaid, oldest = 0, None
    for arrival in sorted(arrivals, key=lambda a: a.on):
        if arrival.on > cutoff:
            break
        paid_here = min(covered, arrival.count)
        covered -= paid_here
        if arrival.count > paid_here:
            unpaid += arrival.count - paid_here
            oldest = oldest or arrival.on
    return unpaid, oldest
