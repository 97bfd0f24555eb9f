"""What text the platform stores, with no Django: every text field, from a form, the API
or a file, passes `text_problem` (PostgreSQL refuses a NUL byte, SQLite would store it;
a lone surrogate cannot be encoded; control characters break exports)."""


def text_problem(value: str, *, max_length: int | None = None) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    if "\x00" in value:
        return "contains a NUL character"
    if any(c < " " and c not in "\t\n\r" for c in value):
        return "contains a control character"
    if any("\ud800" <= c <= "\udfff" for c in value):
        return "contains an invalid character (a lone surrogate)"
    if max_length is not None and len(value) > max_length:
        return f"is longer than {max_length:,} characters"
    return None
