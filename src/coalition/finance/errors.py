"""Errors of the finance domain; the API and the views map their families to HTTP."""

from dataclasses import dataclass

from coalition.errors import Conflict, Forbidden, InvalidInput, NotFound


@dataclass(frozen=True)
class RowError:
    """One problem in an input file, named by file, row and column."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}" if self.row is not None else f" column {self.column}"
        return f"{where}: {self.message}"


class FileRejected(InvalidInput):
    """A file with at least one error; it was refused whole, nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


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
