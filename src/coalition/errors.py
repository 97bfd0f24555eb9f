"""The domain's error classes, with no Django. `coalition.api` maps them to HTTP and
`coalition.web.errors` to pages and form errors, each in one place.

Each app's errors.py subclasses these, so a service raises a meaningful name
(`AlreadyVoted`) while an interface only needs the family (`Conflict`). Every error
carries a stable machine `code` ("application.already_voted") beside its human message:
clients branch on the code, people read the message.
"""

from dataclasses import dataclass


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was written."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Unauthenticated(DomainError):
    """The request needs a login (a Bearer token or a session)."""

    status = 401
    code = "auth.required"
    # The WWW-Authenticate header of the 401 answer (RFC 6750).
    challenge = "Bearer"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooLarge(DomainError):
    """An upload or a request body beyond the documented limits."""

    status = 413
    code = "request.too_large"


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

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}


class FileRejected(InvalidInput):
    """A file (or a form read like one) with at least one error; it was refused whole and
    nothing was written."""

    code = "file.rejected"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
