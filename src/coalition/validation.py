"""Checks every text and model goes through before it is written, the same on SQLite and
PostgreSQL: lengths, no NUL byte (PostgreSQL refuses it, SQLite would store it), no lone
surrogate (not encodable as UTF-8), and the model's own validators. Django's
ValidationError becomes the domain's InvalidInput, naming the field."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from coalition.errors import InvalidInput


def text_problem(value: str, *, max_length: int | None = None) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    if "\x00" in value:
        return "contains a NUL character"
    if any("\ud800" <= c <= "\udfff" for c in value):
        return "contains an invalid character (a lone surrogate)"
    if max_length is not None and len(value) > max_length:
        return f"is longer than {max_length:,} characters"
    return None


def text_check(value: str, *, field: str, max_length: int | None = None) -> str:
    problem = text_problem(value, max_length=max_length)
    if problem is not None:
        raise InvalidInput(f"{field} {problem}", field=field, code="input.invalid_text")
    return value


def model_check(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """The instance's text fields and Django validators, as InvalidInput."""
    skip = set(exclude)
    for f in instance._meta.concrete_fields:
        value = getattr(instance, f.attname, None)
        if f.name not in skip and isinstance(value, str):
            text_check(value, field=f.name, max_length=getattr(f, "max_length", None))
    try:
        instance.full_clean(exclude=sorted(skip), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        name = None if field == "__all__" else field
        raise InvalidInput(
            f"{name}: {' '.join(messages)}" if name else " ".join(messages),
            field=name,
            code="input.invalid",
        ) from None
