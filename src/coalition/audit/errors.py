"""Errors of the audit log; the command maps them to exit code 2 (bad input)."""

from coalition.errors import InvalidInput


class KeyInvalid(InvalidInput):
    """A signing or public key that cannot be read, or none where one is needed."""

    code = "audit.key_invalid"


class HeadInvalid(InvalidInput):
    """An exported head that is not a signed head (not JSON, a field missing or malformed)."""

    code = "audit.head_invalid"


class FilterInvalid(InvalidInput):
    """A filter of the audit log that cannot be applied (a date that is not a date, a
    "from" after "until"); `field` names it."""

    code = "audit.filter_invalid"


class HeadsFileInvalid(InvalidInput):
    """An exported file of daily heads that cannot be read; the message names the row."""

    code = "audit.heads_invalid"


class BackupInvalid(InvalidInput):
    """A backup file that cannot be restored (not one, damaged, from another schema, or its
    audit chain does not verify); the message names what broke. Nothing was restored."""

    code = "backup.invalid"


class DatabaseNotEmpty(InvalidInput):
    """A restore into a database that already holds data, without --force."""

    code = "backup.database_not_empty"
