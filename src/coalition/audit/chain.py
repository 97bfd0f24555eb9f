"""The hash of an audit event: pure, so that writing and verifying share one definition."""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

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


def canonical_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes as the database will give them back (dates, decimals as strings)."""
    result: dict[str, Any] = json.loads(json.dumps(dict(changes), default=str))
    return result
