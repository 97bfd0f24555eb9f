"""Domain errors on the web, mapped in one place: an uncaught one becomes a page in the
user's language (404, 403, 409, 422; anonymous users are sent to the login page), and a
view that re-shows a form or a button hands its error to `form_error` or `refuse`."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from coalition.errors import DomainError, FileRejected, Forbidden, NotFound, Unauthenticated


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
    context = {"title": _title(error), "message": error.message, "code": error.code}
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
    messages.error(request, _("Refused: %(reason)s") % {"reason": error.message})


def form_error(form: forms.Form, error: DomainError) -> None:
    """Put a refused form's error(s) beside the fields they name (a file's rows as a list
    above the form). Forbidden and not-found errors are not the form's business."""
    if isinstance(error, Forbidden | NotFound):
        raise error
    if isinstance(error, FileRejected):
        for row in error.errors:
            form.add_error(row.column if row.column in form.fields else None, row.message)
        return
    form.add_error(error.field if error.field in form.fields else None, error.message)


def upload_errors(error: DomainError) -> list[str]:
    """A refused upload's problems, one line each (file, row, column: message)."""
    if isinstance(error, Forbidden | NotFound):
        raise error
    if isinstance(error, FileRejected):
        return [str(row) for row in error.errors]
    return [error.message]
