"""Checks every text and model goes through before it is written, the same on SQLite and
PostgreSQL: lengths, no NUL byte (PostgreSQL refuses it, SQLite would store it), no lone
surrogate (not encodable as UTF-8), and the model's own validators. Django's
ValidationError becomes the domain's InvalidInput, naming the field."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from coalition.errors import InvalidInput
from coalition.text import text_problem


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
