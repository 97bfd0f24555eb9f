"""Reading the audit chain, and verifying it.

`audit_verify` walks the chain as one snapshot of the database, then runs CHECKS, each a
function of what the walk saw that returns the problems it finds: the head row, the signed
heads kept outside the database (the witness, heads auditors exported), and the other
apps' state against what the log says they wrote (votes, contribution steps, the ledger
and its balances, users' rights)."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction
from django.db.models import BooleanField, Field, OuterRef, Subquery, Value

from coalition.audit.chain import GENESIS, stored_event_hash
from coalition.audit.errors import HeadInvalid, KeyInvalid
from coalition.audit.heads import SignedHead, head_signature_problem
from coalition.audit.keys import configured_public_key, signature_valid
from coalition.audit.models import AuditEvent, AuditHead
from coalition.audit.witness import witness_path, witness_read

_EVENT_FIELDS = (
    "occurred_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "changes",
    "prev_hash",
    "signature",
)


class _Row(NamedTuple):
    """An event, or the head row (is_head; its event fields are None)."""

    seq: int
    hash: str
    occurred_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    changes: dict[str, Any]
    prev_hash: str
    signature: str
    is_head: bool


@dataclass(frozen=True)
class Anchor:
    """A signed head kept outside the database, and where it came from."""

    source: str
    head: SignedHead


@dataclass
class ChainState:
    """What the walk saw: the intact chain up to `last_seq`, or `broken` at the first link
    that does not hold."""

    key: Ed25519PublicKey | None
    anchors: Sequence[Anchor]
    events: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    head: tuple[int, str] | None = None
    broken: str = ""
    hashes: dict[int, str] = field(default_factory=dict)  # at the seqs the anchors name
    # What the checks of the other apps' state need of the events, gathered by the walk.
    ledger: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    votes: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    steps: list[tuple[int, str, list[Any]]] = field(default_factory=list)
    users: list[tuple[int, str, str, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    problems: tuple[str, ...] = ()
    last: tuple[int, str] | None = None  # the last event walked intact: (seq, hash)

    @property
    def problem(self) -> str:
        return self.problems[0] if self.problems else ""


Check = Callable[[ChainState], list[str]]


def _snapshot() -> Iterator[_Row]:
    """The events and the head row in one statement, so in one snapshot of the database
    while others write (on PostgreSQL every statement has one; on SQLite a statement is a
    read transaction, which in WAL mode holds no lock that writers wait for); streamed in
    seq order (a merge of the seq index and the one head row), the head where its seq is."""
    events = AuditEvent.objects.order_by().values_list(
        "seq", "hash", *_EVENT_FIELDS, Value(False, BooleanField())
    )
    none = [Value(None, output_field=_event_field(name)) for name in _EVENT_FIELDS]
    head = (
        AuditHead.objects.order_by()
        .filter(id=1)
        .values_list("seq", "hash", *none, Value(True, BooleanField()))
    )
    rows = events.union(head, all=True).order_by("seq").iterator(chunk_size=2000)
    return (_Row(*row) for row in rows)


def _event_field(name: str) -> Field[Any, Any]:
    """A field of the event field's class, to type the head row's empty columns."""
    return type(cast(Field[Any, Any], AuditEvent._meta.get_field(name)))()


def _link_problem(event: _Row, state: ChainState) -> str:
    """Why this event does not continue the chain as walked so far; "" when it does."""
    expected = state.last_seq + 1
    if event.seq != expected:
        if event.seq > expected:
            return f"event #{expected} was removed"
        return f"event #{event.seq} was inserted"
    if event.prev_hash != state.last_hash:
        return f"event #{event.seq} does not follow event #{event.seq - 1}"
    digest = stored_event_hash(event, prev_hash=event.prev_hash)
    if digest != event.hash:
        return f"event #{event.seq} ({event.action}) was altered"
    if not event.signature:
        return f"event #{event.seq} ({event.action}) is unsigned"
    if state.key is None:
        raise KeyInvalid(
            "no public key to check the signatures with: give one, or configure the "
            "signing key (AUDIT_SIGNING_KEY, or the key file under COALITION_HOME)"
        )
    if not signature_valid(state.key, seq=event.seq, digest=digest, signature=event.signature):
        return f"event #{event.seq} ({event.action}) was altered: its signature does not verify"
    return ""


STEP_EVENTS = {"pledges.imported", "contribution.recorded"}
USER_EVENTS = {"user.created", "user.changed", "user.deleted"}


def _gather(row: _Row, state: ChainState) -> None:
    """Keep what the state checks compare with the database."""
    changes = row.changes
    if isinstance(changes.get("ledger"), dict) and changes["ledger"].get("transactions"):
        state.ledger.append((row.seq, changes["ledger"]))
    if row.action == "application.voted":
        state.votes.append((row.seq, changes))
    elif row.action in STEP_EVENTS:
        slug = row.object_id.split(":", 1)[0]
        state.steps += [(row.seq, slug, line) for line in changes.get("steps", [])]
    elif row.action in USER_EVENTS:
        state.users.append((row.seq, row.action, row.object_id, changes))


def _walk(state: ChainState) -> ChainState:
    wanted = {anchor.head.seq for anchor in state.anchors}
    for row in _snapshot():
        if row.is_head:
            state.head = (row.seq, row.hash)
            continue
        state.broken = _link_problem(row, state)
        if state.broken:
            break  # the report names this link only
        state.events, state.last_seq, state.last_hash = row.seq, row.seq, row.hash
        _gather(row, state)
        if row.seq in wanted:
            state.hashes[row.seq] = row.hash
    return state


def head_check(state: ChainState) -> list[str]:
    """The head row names the last event."""
    if state.head is None:
        return ["the audit head is missing"] if state.events else []
    seq, digest = state.head
    if seq > state.last_seq:
        return [f"event #{state.last_seq + 1} and after were removed"]
    if seq < state.last_seq or (seq and digest != state.last_hash):
        return [f"event #{seq + 1} was inserted after the head"]
    return []


def anchors_check(state: ChainState) -> list[str]:
    """Every signed head kept outside is in the chain, at its seq with its hash."""
    problems = []
    for anchor in state.anchors:
        seq = anchor.head.seq
        if state.key is not None and (
            bad := head_signature_problem(anchor.head, state.key, anchor.source)
        ):
            problems.append(bad)
        elif seq > state.last_seq:
            problems.append(
                f"event #{state.last_seq + 1} and after were removed "
                f"({anchor.source} holds head #{seq})"
            )
        elif state.hashes.get(seq) != anchor.head.hash:
            problems.append(f"event #{seq} was altered ({anchor.source} holds another hash)")
    return problems


def state_check(state: ChainState) -> list[str]:
    """What the platform holds is what the log says it wrote: votes, contribution steps,
    ledger transactions and balances, users' rights (each app's audit_checks module)."""
    from coalition.finance import audit_checks as money
    from coalition.governance import audit_checks as governance

    return [
        *governance.votes_check(state.votes),
        *governance.users_check(state.users),
        *money.steps_check(state.steps),
        *money.ledger_check(state.ledger),
        *money.balances_check(),
    ]


CHECKS: list[Check] = [head_check, anchors_check, state_check]


def witness_anchors() -> list[Anchor]:
    path = witness_path()
    if path is None:
        return []
    head = witness_read(path)
    return [Anchor(f"the witness {path}", head)] if head else []


def audit_verify(
    *,
    public_key: Ed25519PublicKey | None = None,
    exported: Sequence[Anchor] = (),
    witness: bool = True,
) -> ChainReport:
    """Walk the chain from the first event and name the first one that does not hold;
    then run CHECKS. Signatures are checked with `public_key`, else the configured key.
    `witness=False`: a restore, whose chain replaces the one the witness saw."""
    try:
        # Before the snapshot: the witness is written after commits, so what it holds then
        # is in the snapshot.
        anchors = [*(witness_anchors() if witness else []), *exported]
    except HeadInvalid as error:
        return ChainReport(False, 0, (error.message,))
    key = public_key or configured_public_key()
    with read_snapshot():  # the chain and the state it is compared with, at one moment
        state = _walk(ChainState(key=key, anchors=anchors))
        last = (state.last_seq, state.last_hash) if state.last_seq else None
        if state.broken:
            return ChainReport(False, state.events, (state.broken,), last)
        problems = [problem for check in CHECKS for problem in check(state)]
    return ChainReport(not problems, state.events, tuple(problems), last)


@contextmanager
def read_snapshot() -> Iterator[None]:
    """A read-only transaction that sees one moment of the database while others write:
    REPEATABLE READ on PostgreSQL; on SQLite a deferred transaction, which in WAL mode
    holds no lock writers wait for (Django's own atomic blocks begin IMMEDIATE, which
    would). Inside a caller's transaction (the tests), that transaction is the snapshot."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        yield
        return
    begin = (
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        if connection.vendor == "postgresql"
        else "BEGIN DEFERRED"
    )
    with connection.cursor() as cursor:
        cursor.execute(begin)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


def audit_head() -> SignedHead | None:
    """The newest event's signed head as the database holds it; None before the first."""
    signature = AuditEvent.objects.filter(seq=OuterRef("seq")).values("signature")[:1]
    row = (
        AuditHead.objects.filter(id=1, seq__gte=1)
        .annotate(signature=Subquery(signature))
        .values_list("seq", "hash", "signature")
        .first()
    )
    if row is None:
        return None
    seq, digest, signed = row
    return SignedHead(seq=seq, hash=digest, signature=signed or "")


def audit_events_for(*, object_type: str, object_id: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)))
