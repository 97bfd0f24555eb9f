"""Errors of the finance domain; the API and the views map their families to HTTP."""

from coalition.errors import Conflict, Forbidden, InvalidInput, NotFound


class NoRate(InvalidInput):
    code = "rate.missing"


class RateInvalid(InvalidInput):
    code = "rate.invalid"


class LedgerInvalid(InvalidInput):
    """A transaction that does not balance, or names an unknown account."""

    code = "ledger.invalid"


class InsufficientFunds(Conflict):
    """Spending that would take a fund or earmark below zero."""

    code = "fund.insufficient"

    tx_key: str | None = None
    account: str | None = None


class IdempotencyConflict(Conflict):
    """An idempotency key replayed with different content."""

    code = "ledger.idempotency_conflict"


class EarmarkMismatch(InvalidInput):
    code = "fund.earmark_mismatch"


class ContributionInvalid(InvalidInput):
    code = "contribution.invalid"


class ContributionNotFound(NotFound):
    code = "contribution.not_found"


class FundNotFound(NotFound):
    code = "fund.not_found"


class NotAllowed(Forbidden):
    code = "finance.forbidden"


class AppendOnly(Exception):
    """Ledger rows are never updated or deleted: a programming error, not user input."""
