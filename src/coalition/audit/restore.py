"""`coalition restore FILE`: a backup (coalition.audit.backup) into this database.

All in one transaction: the tables are emptied (TRUNCATE on PostgreSQL, which the
append-only triggers let through; DELETE on SQLite), every row is inserted with its primary
key, the audit chain is verified in that same transaction against the state it describes,
and only then committed; anything wrong rolls it all back, so a refused file leaves the
database as it was. PostgreSQL's sequences then continue after the restored keys.

Refused: a file that is not a complete backup of this format, a table or column this
database does not have (migrate first), a chain signed with another key than the one
configured here (the private key never travels in the backup: copy it), a chain that does
not verify (an event altered, removed, inserted or reordered), a header that disagrees with
the rows; and, without `force`, a database that holds anything beyond what `migrate`
writes (countries, categories, shipped rates, content types, permissions)."""

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Field, Model

from coalition.audit.backup import BATCH, FORMAT, VERSION, _bar, backup_models
from coalition.audit.errors import BackupInvalid, DatabaseNotEmpty, KeyInvalid
from coalition.audit.heads import SignedHead
from coalition.audit.keys import configured_public_key, public_key_text
from coalition.audit.selectors import ChainState, _link_problem, _Row, audit_verify
from coalition.audit.witness import witness_path, witness_reset

EVENTS = "audit_auditevent"

# What `migrate` writes into a new database: a restore replaces it, and it does not make a
# database "not empty".
SEEDED = {
    "django_content_type",
    "auth_permission",
    "governance_country",
    "governance_category",
    "finance_rate",
    "finance_rateload",
}


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    audit_events: int
    engine: str  # the file's source engine


def restore_read(
    *, path: Path, force: bool = False, progress: IO[str] | None = None
) -> RestoreResult:
    """Replace this database's contents with the backup at `path`."""
    name = path.name
    with _open(path) as lines:
        header = _header(next(lines, None), name)
        models = {model._meta.db_table: model for model in backup_models()}
        plan = _plan(header, models, name)
        _key_check(header, name)
        if not force:
            _empty_check(models)
        _chain_check(lines, plan, header, name)  # before anything is written: refuse early
    with _open(path) as lines:
        next(lines)
        with transaction.atomic():
            if not force:
                _empty_check(models)  # again: another process may have written since
            _empty(list(models.values()))
            counts = _load(lines, plan, header, name, progress)
            _constraints_check(name)
            report = audit_verify(witness=False)
            if not report.ok:
                raise BackupInvalid(
                    f"{name}: its audit chain does not verify: "
                    + "; ".join(report.problems)
                    + "; nothing restored"
                )
            _head_check(header, report.last, name)
            _sequences_reset([models[t] for t in plan])
    head = header["audit_head"]
    if head is not None and (witness := witness_path()) is not None:
        key = configured_public_key()
        if key is not None:  # checked above; for mypy
            witness_reset(witness, SignedHead(**head), key)
    return RestoreResult(
        tables=len(plan),
        rows=sum(counts.values()),
        audit_events=counts.get(EVENTS, 0),
        engine=str(header["engine"]),
    )


class _Lines:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.stream: Any = None

    def __enter__(self) -> Iterator[Any]:
        try:
            self.stream = gzip.open(self.path, "rt", encoding="utf-8")
        except OSError as error:
            raise BackupInvalid(f"{self.path.name}: {error.strerror or error}") from None
        return self._decoded()

    def _decoded(self) -> Iterator[Any]:
        number = 0
        try:
            for number, text in enumerate(self.stream, start=1):
                try:
                    yield json.loads(text)
                except ValueError:
                    raise BackupInvalid(
                        f"{self.path.name}: line {number} is not JSON: not a backup, or damaged"
                    ) from None
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
            raise BackupInvalid(
                f"{self.path.name}: unreadable after line {number} ({error}): not a "
                "gzip'd backup, or cut short"
            ) from None

    def __exit__(self, *exc: object) -> None:
        if self.stream is not None:
            self.stream.close()


def _open(path: Path) -> _Lines:
    return _Lines(path)


def _header(first: Any, name: str) -> dict[str, Any]:
    if not isinstance(first, dict) or first.get("format") != FORMAT:
        raise BackupInvalid(f"{name}: not a coalition backup (no header)")
    if first.get("version") != VERSION:
        raise BackupInvalid(
            f"{name}: backup format version {first.get('version')}; this platform reads "
            f"version {VERSION}"
        )
    return first


def _plan(
    header: dict[str, Any], models: dict[str, type[Model]], name: str
) -> dict[str, tuple[list[Field[Any, Any]], int]]:
    """Per table of the file: its model's fields in the file's column order, and its rows.
    A column this database lacks is refused; a column the file lacks takes its default."""
    plan: dict[str, tuple[list[Field[Any, Any]], int]] = {}
    for table in header.get("tables", []):
        model = models.get(table["table"])
        if model is None:
            raise BackupInvalid(
                f"{name}: table {table['table']} does not exist in this database "
                "(a newer platform wrote the file? upgrade, then migrate)"
            )
        fields = {field.attname: field for field in model._meta.local_concrete_fields}
        missing = [column for column in table["columns"] if column not in fields]
        if missing:
            raise BackupInvalid(
                f"{name}: table {table['table']} has no column {', '.join(missing)} here "
                "(upgrade, then migrate)"
            )
        plan[table["table"]] = ([fields[column] for column in table["columns"]], table["rows"])
    return plan


def _chain_check(
    lines: Iterator[Any],
    plan: dict[str, tuple[list[Field[Any, Any]], int]],
    header: dict[str, Any],
    name: str,
) -> None:
    """The file's audit events, as written, form the chain its header's head ends: each
    follows the one before, its hash covers its fields, its signature verifies. Reads the
    file up to the end of the events (they come early: tables are ordered by name)."""
    fields = plan.get(EVENTS, ([], 0))[0]
    state = ChainState(key=configured_public_key(), anchors=[])
    within = False
    for item in lines:
        if isinstance(item, dict):
            if within or "end" in item:
                break
            within = item.get("table") == EVENTS
            continue
        if within:
            values = _values(fields, item, EVENTS, state.events + 1, name)
            data: dict[str, Any] = {k: values.get(k) for k in _Row._fields}
            row = _Row(**{**data, "is_head": False})
            if problem := _order_problem(row.seq, state.last_seq + 1) or _link_problem(row, state):
                raise BackupInvalid(
                    f"{name}: its audit chain does not verify: {problem}; nothing restored"
                )
            state.events, state.last_seq, state.last_hash = row.seq, row.seq, row.hash
    _head_check(header, (state.last_seq, state.last_hash) if state.last_seq else None, name)


def _order_problem(seq: int, expected: int) -> str:
    if seq > expected:
        return f"event #{expected} is missing or out of order (#{seq} comes after #{expected - 1})"
    if seq < expected:
        return f"event #{seq} is out of order or repeated (after event #{expected - 1})"
    return ""


def _key_check(header: dict[str, Any], name: str) -> None:
    """The chain is checked with the key configured here, so it must be the file's."""
    key = configured_public_key()
    if header.get("audit_head") is None:
        return
    if key is None:
        raise KeyInvalid(
            f"{name}: no audit signing key is configured here to check its chain with: set "
            "AUDIT_SIGNING_KEY, or copy the source's key file (COALITION_HOME/"
            "audit_signing_key), then restore"
        )
    if header.get("public_key") != public_key_text(key):
        raise KeyInvalid(
            f"{name}: its audit chain was signed with another key ({header.get('public_key')}) "
            f"than the one configured here ({public_key_text(key)}): configure the source's key"
        )


def _empty_check(models: dict[str, type[Model]]) -> None:
    for table, model in models.items():
        if table not in SEEDED and model._base_manager.exists():
            raise DatabaseNotEmpty(
                f"the database is not empty (table {table} has rows): restore into a new, "
                "migrated database, or give --force to replace everything in it"
            )


def _empty(models: list[type[Model]]) -> None:
    tables = [model._meta.db_table for model in models]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _load(
    lines: Iterator[Any],
    plan: dict[str, tuple[list[Field[Any, Any]], int]],
    header: dict[str, Any],
    name: str,
    progress: IO[str] | None,
) -> dict[str, int]:
    models = {model._meta.db_table: model for model in backup_models()}
    counts: dict[str, int] = {}
    bar = _bar(int(header.get("rows", 0)), "restore", progress)
    table: str | None = None
    batch: list[Model] = []
    for item in lines:
        if isinstance(item, list):
            if table is None:
                raise BackupInvalid(f"{name}: a row before any table")
            fields = plan[table][0]
            if len(item) != len(fields):
                raise BackupInvalid(f"{name}: table {table}, row {counts[table] + 1}: wrong length")
            batch.append(models[table](**_values(fields, item, table, counts[table] + 1, name)))
            counts[table] += 1
            bar.update(1)
            if len(batch) >= BATCH:
                _insert(batch, table, name)
                batch = []
            continue
        if table is not None and batch:
            _insert(batch, table, name)
            batch = []
        if isinstance(item, dict) and "table" in item:
            table = item["table"]
            if table not in plan or table in counts:
                raise BackupInvalid(f"{name}: table {table} is not in its header, or twice")
            counts[table] = 0
        elif isinstance(item, dict) and "end" in item:
            break
        else:
            raise BackupInvalid(f"{name}: a line that is neither a table nor a row")
    else:
        raise BackupInvalid(f"{name}: cut short (no end line): nothing restored")
    bar.close()
    for table, (_fields, rows) in plan.items():
        if counts.get(table, 0) != rows:
            raise BackupInvalid(
                f"{name}: table {table} has {counts.get(table, 0)} rows, its header says "
                f"{rows}: nothing restored"
            )
    return counts


def _values(
    fields: list[Field[Any, Any]], row: list[Any], table: str, number: int, name: str
) -> dict[str, Any]:
    try:
        return {
            field.attname: None if value is None else field.to_python(value)
            for field, value in zip(fields, row, strict=True)
        }
    except Exception as error:  # ValidationError, binascii.Error, ...
        raise BackupInvalid(f"{name}: table {table}, row {number}: {error}") from None


def _insert(batch: list[Model], table: str, name: str) -> None:
    """INSERT the rows as they are: raw, so that no auto_now field stamps today's time, no
    save() runs and no signal fires (a restore is no new state change)."""
    model = type(batch[0])
    fields = model._meta.local_concrete_fields
    size = max(1, connection.ops.bulk_batch_size(fields, batch))
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL can go on to report
            for start in range(0, len(batch), size):
                query = model._base_manager.all()  # _insert: what save() and loaddata use
                query._insert(batch[start : start + size], fields=fields, raw=True)  # type: ignore[attr-defined]
    except (IntegrityError, DatabaseError) as error:
        raise BackupInvalid(f"{name}: table {table}: {error}".strip()) from None


def _constraints_check(name: str) -> None:
    """Foreign keys are checked at commit; check now, to name the table."""
    try:
        connection.check_constraints()
    except IntegrityError as error:
        raise BackupInvalid(f"{name}: {error}; nothing restored") from None


def _head_check(header: dict[str, Any], last: tuple[int, str] | None, name: str) -> None:
    head = header.get("audit_head")
    expected = None if head is None else (head["seq"], head["hash"])
    if expected == last:
        return
    if expected is not None and (last is None or last[0] < expected[0]):
        problem = f"event #{last[0] + 1 if last else 1} and after were removed"
    elif last is not None and (expected is None or last[0] > expected[0]):
        problem = f"event #{expected[0] + 1 if expected else 1} was inserted after the head"
    else:
        problem = f"event #{last[0] if last else 0} is not the head its header names"
    raise BackupInvalid(f"{name}: its audit chain does not verify: {problem}; nothing restored")


def _sequences_reset(models: list[type[Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
