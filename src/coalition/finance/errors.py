"""Errors of the finance domain; the API and the views map their families to HTTP."""

from coalition.errors import Conflict, Forbidden, InvalidInput, NotFound


class NoRate(InvalidInput):
    pass


class RateInvalid(InvalidInput):
    pass


class LedgerInvalid(InvalidInput):
    """A transaction that does not balance, or names an unknown account."""


class InsufficientFunds(Conflict):
    """Spending that would take a fund or earmark below zero."""

    tx_key: str | None = None
    account: str | None = None


class IdempotencyConflict(Conflict):
    """An idempotency key replayed with different content."""


class EarmarkMismatch(InvalidInput):
    pass


class ContributionInvalid(InvalidInput):
    pass


class ContributionNotFound(NotFound):
    pass


class FundNotFound(NotFound):
    pass


class NotAllowed(Forbidden):
    pass


class AppendOnly(Exception):
    """Ledger rows are never updated or deleted: a programming error, not user input."""
