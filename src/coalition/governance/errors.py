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
