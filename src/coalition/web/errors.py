"""Domain errors on the web, mapped in one place: an uncaught one becomes a page in the
user's language (404, 403, 409, 422; anonymous users are sent to the login page), and a
view that re-shows a form or a button hands its error to `form_error` or `refuse`.
A file's problems (RowError) are put in the reader's language here too: `row_error_text`.
"""

from collections.abc import Callable, Mapping
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.errors import (
    DomainError,
    FileRejected,
    Forbidden,
    Message,
    NotFound,
    Plural,
    RowError,
    Unauthenticated,
)


def _title(error: DomainError) -> str:
    if isinstance(error, NotFound):
        return _("Not found")
    if isinstance(error, Forbidden):
        return _("Not allowed")
    return _("Refused")


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    if isinstance(error, Unauthenticated) or (
        isinstance(error, Forbidden) and not request.user.is_authenticated
    ):
        return redirect_to_login(request.get_full_path())
    message = (
        "\n".join(row_error_text(e) for e in error.errors)
        if isinstance(error, FileRejected)
        else translated(error.message)
    )
    context = {"title": _title(error), "message": message, "code": error.code}
    return render(request, "web/error.html", context, status=error.status)


class DomainErrorMiddleware:
    """Turns a DomainError that a view let through into `error_page`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return error_page(request, exception)
        return None


def refuse(request: HttpRequest, error: DomainError) -> None:
    """A refused button press: say why on the page the user goes back to. A press that
    was not the user's to make (forbidden, unknown object) gets the error page."""
    if isinstance(error, Forbidden | NotFound):
        raise error
    messages.error(request, _("Refused: %(reason)s") % {"reason": translated(error.message)})


def form_error(form: forms.Form, error: DomainError) -> None:
    """Put a refused form's error(s) beside the fields they name (a file's rows as a list
    above the form). Forbidden and not-found errors are not the form's business."""
    if isinstance(error, Forbidden | NotFound):
        raise error
    if isinstance(error, FileRejected):
        for row in error.errors:
            message = translated(row.message)
            form.add_error(row.column if row.column in form.fields else None, message)
        return
    form.add_error(error.field if error.field in form.fields else None, translated(error.message))


def upload_errors(error: DomainError) -> list[str]:
    """A refused upload's problems, one line each (file, row, column: message)."""
    if isinstance(error, Forbidden | NotFound):
        raise error
    if isinstance(error, FileRejected):
        return [row_error_text(row) for row in error.errors]
    return [translated(error.message)]


def translated(message: object) -> str:
    """A message in the active language: a Message (coalition.errors) through gettext,
    its numbers as the language writes them (5 000 in French); other text as it is."""
    if not isinstance(message, Message):
        return str(message)
    template = message.template
    if isinstance(template, Plural):
        text = ngettext(template.singular, template.plural, template.number)
    else:
        text = _(template)
    if not message.params:
        return text
    return text % {k: _param(v) for k, v in message.params.items()}


def _param(value: object) -> object:
    if isinstance(value, Message):
        return translated(value)
    if isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        return number_format(value, use_l10n=True, force_grouping=True)
    return value


def stored_message(error: RowError | Mapping[str, object]) -> str:
    """The message of an error, or of one stored as `RowError.stored()`, translated."""
    if isinstance(error, RowError):
        return translated(error.message)
    data = error.get("i18n")
    if isinstance(data, Mapping):
        return translated(Message.from_data(data))
    return str(error.get("message", ""))


def row_error_text(error: RowError | Mapping[str, object]) -> str:
    """ "file row N, column C: message" in the active language (RowError.__str__ in
    English)."""
    file, row, column = (
        (error.file, error.row, error.column)
        if isinstance(error, RowError)
        else (error.get("file"), error.get("row"), error.get("column"))
    )
    values = {"file": file, "row": row, "column": column, "message": stored_message(error)}
    if row is not None and column:
        return _("%(file)s row %(row)s, column %(column)s: %(message)s") % values
    if row is not None:
        return _("%(file)s row %(row)s: %(message)s") % values
    if column:
        return _("%(file)s column %(column)s: %(message)s") % values
    return _("%(file)s: %(message)s") % values
