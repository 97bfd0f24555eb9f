"""The reconciliation arithmetic alone (no database): allocation of arrivals to an
order's lines, lateness against needed-by, tallies, unpaid items past a cutoff."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.procurement.reconcile import (
    Arrival,
    Line,
    Tally,
    allocate,
    cumulative,
    unpaid_old,
)

D = date(2025, 6, 1)


def test_first_arrivals_fill_the_earliest_due_line():
    lines = [Line(2, 50, D + timedelta(30), D + timedelta(40)), Line(1, 30, D, D + timedelta(5))]
    covers = allocate(lines, [Arrival(D, 20, 20), Arrival(D + timedelta(10), 40, 5)])
    assert [(c.requirement, c.delivered, c.accepted, c.on_time) for c in covers] == [
        (1, 30, 25, 20),
        (2, 30, 0, 30),
    ]
    today = D + timedelta(60)
    # requirement 1: 10 arrived after its needed-by; requirement 2: 20 never arrived
    assert [c.late(today) for c in covers] == [10, 20]
    assert [c.late(D + timedelta(20)) for c in covers] == [10, 0]


def test_more_arrivals_than_lines_are_not_counted_twice():
    covers = allocate([Line(1, 5, D, D)], [Arrival(D, 9, 9)])
    assert (covers[0].delivered, covers[0].accepted) == (5, 5)


def test_tally_figures():
    t = Tally(ordered=100, delivered=60, accepted=40, rejected=5)
    t.accepted_minor, t.paid_minor = {"EUR": 4_000_00}, {"EUR": 1_500_00}
    assert (t.awaiting, t.outstanding) == (15, 45)
    assert t.unpaid_minor() == {"EUR": 2_500_00}
    total = Tally(ordered=1, paid_minor={"EUR": 1}, accepted_minor={"USD": 7})
    total.add(t)
    assert (total.ordered, total.paid_minor, total.unpaid_minor()) == (
        101,
        {"EUR": 1_500_01},
        {"EUR": 2_499_99, "USD": 7},
    )


def test_cumulative_by_day():
    points = [(D + timedelta(2), 3), (D, 1), (D + timedelta(2), 4)]
    assert cumulative(points) == [(D, 1), (D + timedelta(2), 8)]


def test_unpaid_counts_the_oldest_arrivals_as_paid_first():
    arrivals = [Arrival(D, 10), Arrival(D + timedelta(5), 10), Arrival(D + timedelta(50), 10)]
    assert unpaid_old(arrivals, paid_units=12, cutoff=D + timedelta(20)) == (8, D + timedelta(5))
    assert unpaid_old(arrivals, paid_units=20, cutoff=D + timedelta(20)) == (0, None)
    assert unpaid_old(arrivals, paid_units=0, cutoff=D - timedelta(1)) == (0, None)


_lines = st.lists(
    st.builds(
        Line, st.integers(1, 5), st.integers(1, 50), st.dates(D, D + timedelta(90)), st.just(D)
    ),
    max_size=5,
)
_arrivals = st.lists(
    st.builds(Arrival, st.dates(D, D + timedelta(120)), st.integers(1, 60)), max_size=8
)


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=200)
@given(_lines, _arrivals)
def test_allocation_never_invents_or_loses_units(lines, arrivals):
    covers = allocate(lines, arrivals)
    arrived = sum(a.count for a in arrivals)
    ordered = sum(line.quantity for line in lines)
    assert sum(c.delivered for c in covers) == min(arrived, ordered)
    assert all(0 <= c.on_time <= c.delivered <= c.quantity for c in covers)
    assert sorted((c.requirement, c.quantity) for c in covers) == sorted(
        (line.requirement, line.quantity) for line in lines
    )
