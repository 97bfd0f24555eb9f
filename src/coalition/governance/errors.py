"""Errors of the governance domain, each with a stable code (coalition.errors)."""

from coalition.errors import Conflict, Forbidden, InvalidInput, NotFound


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
