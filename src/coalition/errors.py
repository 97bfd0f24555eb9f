"""The domain's error classes; api.py and web views map them to HTTP in one place.

Each app's errors.py subclasses these, so a service raises a meaningful name
(`AlreadyVoted`) while the interface only needs to know the family (`Conflict`).
"""


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was written."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409
