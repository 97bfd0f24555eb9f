"""`coalition backup FILE`: the whole database as one portable file, for `restore` on
either engine (SQLite or PostgreSQL).

The file is gzip'd JSON lines: a header (format, platform version, time, source engine,
every table with its columns and row count, the audit chain's signed head and public key),
then each table in dependency order as a line {"table": NAME} followed by one JSON array
per row (the column values in the header's order), then {"end": TOTAL_ROWS}. It is written
row by row from one read snapshot, so it is consistent while others write and never held
in memory. Primary keys are kept: the rows refer to each other, and the audit events name
objects by them."""

import base64
import datetime as dt
import gzip
import json
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.duration import duration_iso_string

import coalition
from coalition.audit.errors import BackupInvalid
from coalition.audit.keys import configured_public_key, public_key_text
from coalition.audit.selectors import audit_head, read_snapshot

FORMAT = "coalition-backup"
VERSION = 1
BATCH = 2000


def backup_models() -> list[type[Model]]:
    """Every table of every installed app (many-to-many tables too), each once, a table
    after the tables it refers to (self references and cycles are loaded in one
    transaction whose foreign keys are checked at commit, so order is a courtesy)."""
    found: dict[str, type[Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            found.setdefault(meta.db_table, model)
    ordered: list[type[Model]] = []
    seen: set[str] = set()

    def visit(model: type[Model], path: frozenset[str]) -> None:
        table = model._meta.db_table
        if table in seen or table in path:
            return
        for field in model._meta.concrete_fields:
            target = field.related_model
            related = isinstance(target, type) and target is not model
            if related and target._meta.db_table in found:  # type: ignore[union-attr]
                visit(found[target._meta.db_table], path | {table})  # type: ignore[union-attr]
        seen.add(table)
        ordered.append(model)

    for model in sorted(found.values(), key=lambda m: m._meta.db_table):
        visit(model, frozenset())
    return ordered


def columns(model: type[Model]) -> list[str]:
    """The table's own columns (a child table of model inheritance: not its parent's)."""
    return [field.attname for field in model._meta.local_concrete_fields]


def encode(value: Any) -> Any:
    """A value JSON has no type for, as text its field's to_python reads back exactly
    (datetimes keep their microseconds: the audit hashes cover them)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"cannot write a {type(value).__name__} to a backup")


@dataclass(frozen=True)
class BackupResult:
    tables: int
    rows: int
    audit_events: int


def backup_write(*, path: Path, progress: IO[str] | None = None) -> BackupResult:
    """Write the database to `path` (replaced only once complete)."""
    models = backup_models()
    existing = set(connection.introspection.table_names())
    if missing := [m._meta.db_table for m in models if m._meta.db_table not in existing]:
        raise BackupInvalid(f"table {missing[0]} does not exist: run `coalition migrate` first")
    partial = path.with_name(path.name + ".partial")
    with read_snapshot():
        tables = [
            {
                "table": model._meta.db_table,
                "model": model._meta.label_lower,
                "columns": columns(model),
                "rows": model._base_manager.count(),
            }
            for model in models
        ]
        total = sum(int(str(table["rows"])) for table in tables)
        head = audit_head()
        key = configured_public_key()
        header = {
            "format": FORMAT,
            "version": VERSION,
            "platform": coalition.__version__,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "tables": tables,
            "rows": total,
            "audit_head": None
            if head is None
            else {"seq": head.seq, "hash": head.hash, "signature": head.signature},
            "public_key": public_key_text(key) if key is not None else None,
        }
        bar = _bar(total, "backup", progress)
        try:
            with gzip.open(partial, "wt", encoding="utf-8", compresslevel=6) as out:
                out.write(_line(header))
                for model in models:
                    out.write(_line({"table": model._meta.db_table}))
                    for row in _rows(model):
                        out.write(_line(row))
                        bar.update(1)
                out.write(_line({"end": total}))
        except BaseException:
            partial.unlink(missing_ok=True)  # never a half file that looks like a backup
            raise
        finally:
            bar.close()
    partial.replace(path)
    audit = next(t for t in tables if t["model"] == "audit.auditevent")
    return BackupResult(tables=len(tables), rows=total, audit_events=int(str(audit["rows"])))


# Rows in key order, the audit events in chain order (restore checks the chain as it reads).
ORDER = {"audit_auditevent": "seq"}


def _rows(model: type[Model]) -> Iterator[list[Any]]:
    pk = model._meta.pk
    order = ORDER.get(model._meta.db_table) or (pk.attname if pk else columns(model)[0])
    query = model._base_manager.order_by(order).values_list(*columns(model))
    for row in query.iterator(chunk_size=BATCH):
        yield list(row)


def _line(data: Any) -> str:
    return json.dumps(data, default=encode, ensure_ascii=False, separators=(",", ":")) + "\n"


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(total: int, what: str, stream: IO[str] | None) -> Any:
    """A tqdm bar on a terminal's stderr; nothing in a pipe or a test."""
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=what, unit=" rows", file=stream, mininterval=0.5)
