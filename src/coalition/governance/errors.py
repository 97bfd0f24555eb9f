from coalition.errors import Conflict, Forbidden, InvalidInput, NotFound


class CoalitionNotFound(NotFound):
    pass


class CountryUnknown(InvalidInput):
    pass


class MembershipOverlap(Conflict):
    pass


class ApplicationNotFound(NotFound):
    pass


class NotAllowed(Forbidden):
    pass


class UserUnknown(InvalidInput):
    pass


class ApplicationConflict(Conflict):
    pass


class ApplicationDecided(Conflict):
    pass


class AlreadyVoted(Conflict):
    pass


class NotAnElector(Forbidden):
    pass


class InvalidApplication(InvalidInput):
    pass


class MeetingNotFound(NotFound):
    pass


class InvalidMeeting(InvalidInput):
    pass
