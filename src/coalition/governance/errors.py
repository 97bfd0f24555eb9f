"""Errors of the governance domain, each with a stable code (coalition.errors)."""

from coalition.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated


class CoalitionNotFound(NotFound):
    code = "coalition.not_found"


class CountryUnknown(InvalidInput):
    code = "country.unknown"


class CountryNotFound(NotFound):
    code = "country.not_found"


class MembershipOverlap(Conflict):
    code = "membership.overlap"


class ApplicationNotFound(NotFound):
    code = "application.not_found"


class NotAllowed(Forbidden):
    code = "governance.forbidden"


class UserUnknown(InvalidInput):
    code = "user.unknown"


class ApplicationConflict(Conflict):
    code = "application.conflict"


class ApplicationDecided(Conflict):
    code = "application.decided"


class AlreadyVoted(Conflict):
    code = "application.already_voted"


class NotAnElector(Forbidden):
    code = "application.not_an_elector"


class InvalidApplication(InvalidInput):
    code = "application.invalid"


class MeetingNotFound(NotFound):
    code = "meeting.not_found"


class InvalidMeeting(InvalidInput):
    code = "meeting.invalid"


class TokenRefused(Unauthenticated):
    """A Bearer token that does not authenticate (unknown, or its user inactive): the
    same answer as no credentials, so that guessing learns nothing."""

    challenge = 'Bearer error="invalid_token"'


class TokenExpired(TokenRefused):
    code = "auth.token_expired"


class TokenRevoked(TokenRefused):
    code = "auth.token_revoked"


class TokenReadOnly(Forbidden):
    code = "auth.token_read_only"


class TokenNotFound(NotFound):
    code = "token.not_found"


class TokenConflict(Conflict):
    code = "token.already_revoked"


class InvalidToken(InvalidInput):
    code = "token.invalid"
