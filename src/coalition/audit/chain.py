"""The hash of an audit event: pure, so that writing and verifying share one definition."""

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

GENESIS = "0" * 64


def event_hash(
    *,
    seq: int,
    occurred_at: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    changes: Mapping[str, Any],
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [seq, occurred_at, actor, action, object_type, object_id, changes, prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class StoredEvent(Protocol):
    """An event as read back from the database (a model instance or a row)."""

    @property
    def seq(self) -> int: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def object_type(self) -> str: ...
    @property
    def object_id(self) -> str: ...
    @property
    def changes(self) -> Mapping[str, Any]: ...


def stored_event_hash(event: StoredEvent, *, prev_hash: str) -> str:
    """The hash a stored event must have after `prev_hash`."""
    return event_hash(
        seq=event.seq,
        occurred_at=event.occurred_at.isoformat(),
        actor=event.actor,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        changes=event.changes,
        prev_hash=prev_hash,
    )


def canonical_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes as the database will give them back (dates, decimals as strings)."""
    result: dict[str, Any] = json.loads(json.dumps(dict(changes), default=str))
    return result


def signed_message(*, seq: int, digest: str) -> bytes:
    """What the chain's key signs for an event: its place and its hash. The hash already
    covers the seq, but a head checked with the public key alone shows only these two."""
    return f"coalition-audit-event:{seq}:{digest}".encode()
