"""Errors of login and two-factor, each with a stable code (coalition.errors)."""

from coalition.errors import InvalidInput


class TotpCodeWrong(InvalidInput):
    code = "totp.code_wrong"


class TotpEnrolmentExpired(InvalidInput):
    code = "totp.enrolment_expired"


class TotpAlreadyEnrolled(InvalidInput):
    code = "totp.already_enrolled"
