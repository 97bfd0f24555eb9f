"""`{% load import_errors %}`: a file's problems in the reader's language, in templates
(`coalition.web.errors` does the translating)."""

from collections.abc import Mapping

from django import template

from coalition.errors import RowError
from coalition.web.errors import row_error_text, stored_message

register = template.Library()


@register.filter
def row_error(error: RowError | Mapping[str, object]) -> str:
    """ "file row N, column C: message"."""
    return row_error_text(error)


@register.filter
def row_error_message(error: RowError | Mapping[str, object]) -> str:
    """The message alone (the page says the file and row itself)."""
    return stored_message(error)
