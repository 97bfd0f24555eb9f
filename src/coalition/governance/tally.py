"""Counting an accession vote: pure arithmetic, no database, so every rule is easy to test.

A rule is `unanimity` or `qualified-majority` with a threshold (the fraction of the
electorate that must approve) and a quorum (the fraction of the electorate that must have
voted). Fractions are compared at the four decimals the database stores them with, rounded
half-even: a threshold of two thirds is stored as 0.6667, and 12 approvals out of 18
(0.66666…) reach it while 11 (0.6111) do not.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

UNANIMITY = "unanimity"
QUALIFIED_MAJORITY = "qualified-majority"
APPROVED = "approved"
REJECTED = "rejected"
STEP = Decimal("0.0001")


@dataclass(frozen=True)
class Rule:
    name: str
    threshold: Decimal = Decimal(1)
    quorum: Decimal = Decimal(0)


@dataclass(frozen=True)
class Tally:
    electorate: int
    approve: int
    reject: int

    @property
    def cast(self) -> int:
        return self.approve + self.reject

    @property
    def not_voted(self) -> int:
        return self.electorate - self.cast


def _reaches(count: int, electorate: int, fraction: Decimal) -> bool:
    share = (Decimal(count) / Decimal(electorate)).quantize(STEP, rounding=ROUND_HALF_EVEN)
    return share >= fraction


def approvals_required(rule: Rule, electorate: int) -> int:
    """The fewest approvals that decide for the candidate."""
    if rule.name == UNANIMITY:
        return electorate
    return next(k for k in range(electorate + 1) if _reaches(k, electorate, rule.threshold))


def votes_required(rule: Rule, electorate: int) -> int:
    """The fewest votes cast (either way) that make the quorum."""
    if rule.name == UNANIMITY:
        return electorate
    return next(n for n in range(electorate + 1) if _reaches(n, electorate, rule.quorum))


def outcome(rule: Rule, tally: Tally, *, final: bool = False) -> str | None:
    """`approved` or `rejected` as soon as more votes cannot change it, else None.

    `final` is the deadline: the missing votes count as not approving.
    """
    needed = approvals_required(rule, tally.electorate)
    if tally.approve >= needed and tally.cast >= votes_required(rule, tally.electorate):
        return APPROVED
    # Even if every missing vote approved, the threshold would not be reached.
    # (The quorum can always still be made: all missing votes would make it.)
    if tally.approve + tally.not_voted < needed or final:
        return REJECTED
    return None


@dataclass(frozen=True)
class StillNeeded:
    approvals: int
    votes: int


def still_needed(rule: Rule, tally: Tally) -> StillNeeded:
    """How many more approvals, and how many more votes for the quorum, would approve."""
    return StillNeeded(
        approvals=max(0, approvals_required(rule, tally.electorate) - tally.approve),
        votes=max(0, votes_required(rule, tally.electorate) - tally.cast),
    )
