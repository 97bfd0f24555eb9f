"""What text the platform stores, with no Django: every text field, from a form, the API
or a file, passes `text_problem` (PostgreSQL refuses a NUL byte, SQLite would store it;
a lone surrogate cannot be encoded; control characters break exports). The problems are
Messages (coalition.errors), shown translated on the web."""

from coalition.errors import Message, _, ngettext


def text_problem(value: str, *, max_length: int | None = None) -> Message | None:
    """Why `value` cannot be stored as text, or None."""
    if "\x00" in value:
        return Message(_("contains a NUL character"))
    if any(c < " " and c not in "\t\n\r" for c in value):
        return Message(_("contains a control character"))
    if any("\ud800" <= c <= "\udfff" for c in value):
        return Message(_("contains an invalid character (a lone surrogate)"))
    if max_length is not None and len(value) > max_length:
        return longer_than(max_length)
    return None


def longer_than(limit: int) -> Message:
    """ "is longer than N characters", with the plural form of N."""
    return Message(
        ngettext(
            "is longer than %(limit)s character", "is longer than %(limit)s characters", limit
        ),
        limit=limit,
    )
