"""The domain's error classes, with no Django. `coalition.api` maps them to HTTP and
`coalition.web.errors` to pages and form errors, each in one place.

Each app's errors.py subclasses these, so a service raises a meaningful name
(`AlreadyVoted`) while an interface only needs the family (`Conflict`). Every error
carries a stable machine `code` ("application.already_voted") beside its human message:
clients branch on the code, people read the message.

The messages of file imports (RowError) are built here and in other modules without
Django, yet shown in the reader's language: `Message(_("... %(limit)s ..."), limit=n)`
is the English text (a str, as before) that also keeps its template and parameters, which
`coalition.web.errors.translated` runs through gettext where the message is shown. `_`
and `ngettext` below only mark the templates for xgettext (Django's makemessages), so
they land in the catalogue of the app whose module holds them; those of the modules at
the package's root (records.py, tabular.py, text.py) are in src/coalition/locale/,
made with `cd src/coalition && ../../.venv/bin/coalition makemessages -l fr -l uk
$(for d in */; do printf -- '-i %s ' "${d%/}"; done)` (every app directory ignored).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


def _(text: str) -> str:
    """Marks `text` for the translation catalogues; the translation is done where shown."""
    return text


@dataclass(frozen=True)
class Plural:
    """A template with a singular and a plural form, chosen by `number` where shown."""

    singular: str
    plural: str
    number: int


def ngettext(singular: str, plural: str, number: int) -> Plural:
    """Marks a template with a plural form (extracted like gettext's ngettext)."""
    return Plural(singular, plural, number)


class Message(str):
    """The English text of a message (what `str` and every existing caller see), with its
    template and parameters kept for translation. Whole numbers among the parameters read
    with thousands separators (5,000); a parameter may be a Message itself."""

    template: str | Plural
    params: Mapping[str, object]

    def __new__(cls, template: str | Plural, /, **params: object) -> "Message":
        # The English text is the plural form whatever the number: what the platform has
        # always written ("more than 1 rows"), which the command line and the API keep;
        # a page shown in English goes through ngettext and gets the singular.
        chosen = template.plural if isinstance(template, Plural) else template
        english = chosen % {k: _english(v) for k, v in params.items()} if params else chosen
        self = super().__new__(cls, english)
        self.template, self.params = template, params
        return self

    def as_data(self) -> dict[str, object]:
        """The template and parameters as JSON data (`from_data` makes the Message again),
        for a message stored to be shown later."""
        template = self.template
        return {
            "template": (
                [template.singular, template.plural, template.number]
                if isinstance(template, Plural)
                else template
            ),
            "params": {k: _data(v) for k, v in self.params.items()},
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Message":
        template = data["template"]
        params = {
            k: cls.from_data(v) if isinstance(v, Mapping) else v
            for k, v in data.get("params", {}).items()
        }
        if isinstance(template, list):
            return cls(Plural(*template), **params)
        return cls(template, **params)


def _data(value: object) -> object:
    if isinstance(value, Message):
        return value.as_data()
    if isinstance(value, int | str):
        return value
    return str(value)


def _english(value: object) -> object:
    if isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        return f"{value:,}"
    return value


def message_of(error: Exception) -> Message:
    """The message an exception was raised with, a Message kept as such (`str(error)`
    would give its bare English text); other text becomes a Message without parameters,
    shown as it is unless a catalogue has it."""
    if error.args and isinstance(error.args[0], Message):
        return error.args[0]
    return Message(str(error))


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

    def stored(self) -> dict[str, object]:
        """`as_dict` with, for a Message, its translatable form under "i18n": a stored
        error is shown later in its reader's language."""
        data = self.as_dict()
        if isinstance(self.message, Message):
            data["i18n"] = self.message.as_data()
        return data


class FileRejected(InvalidInput):
    """A file (or a form read like one) with at least one error; it was refused whole and
    nothing was written."""

    code = "file.rejected"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
