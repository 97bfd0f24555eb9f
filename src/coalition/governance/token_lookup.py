"""The one query an API request with a token makes to learn who it is: the token's row and
its user's, by digest, in plain SQL built once from the models' fields.

Building the same query through the ORM each time cost three quarters of a cached read
with a token (about 0.8 of 1.1 ms in-process, bench/api.py's "funds (delegate, token)").
Nothing is cached between requests: a revoked token, or a user made inactive, is refused
on its very next request. The same query reads the data's version for the read cache
(coalition.api_cache.version_seen): one round trip to the database instead of two.
Values go through the same converters the ORM applies, so the instances are those
`ApiToken.objects.select_related("user")` would give."""

import functools
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Field, Model

from coalition.api_cache import HEAD_TABLE, version_text
from coalition.governance.models import ApiToken

Converter = Callable[[Any, Any, Any], Any]


def _converters(field: Field[Any, Any], alias: str) -> list[Converter]:
    col = field.get_col(alias)
    return [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]


class _Part:
    """One model's columns in the joined row, and how to make its instance from them."""

    def __init__(self, model: type[Model], alias: str) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        quote = connection.ops.quote_name
        self.columns = [f"{alias}.{quote(f.column)}" for f in self.fields]
        self.conversions = [(f, _converters(f, alias)) for f in self.fields]

    def build(self, values: Sequence[Any]) -> Model:
        converted = []
        for value, (field, converters) in zip(values, self.conversions, strict=True):
            for convert in converters:
                value = convert(value, field, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.names, converted)


@functools.cache
def _plan(vendor: str) -> tuple[str, _Part, _Part]:
    """The SQL and the two parts, once per database vendor (tests switch engines)."""
    user_model = get_user_model()
    token, user = _Part(ApiToken, "t"), _Part(user_model, "u")
    quote = connection.ops.quote_name
    user_key = ApiToken._meta.get_field("user").column  # type: ignore[union-attr]
    sql = (
        f"SELECT {', '.join(token.columns + user.columns)}, h.seq, h.hash "
        f"FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(user_model._meta.db_table)} u "
        f"ON u.{quote(user_model._meta.pk.column)} = t.{quote(user_key)} "
        f"LEFT JOIN {quote(HEAD_TABLE)} h ON h.id = 1 "
        f"WHERE t.{quote('digest')} = %s"
    )
    return sql, token, user


def token_by_digest(digest: str) -> ApiToken | None:
    """The token whose digest is `digest`, with its user loaded; None if there is none."""
    sql, token_part, user_part = _plan(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    split, end = len(token_part.fields), len(token_part.fields) + len(user_part.fields)
    found = cast(ApiToken, token_part.build(row[:split]))
    found.user = user_part.build(row[split:end])  # type: ignore[assignment]
    found.data_version = version_text(*row[end:])
    return found
