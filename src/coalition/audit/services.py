"""Appending to the audit chain. Every state-changing service calls `audit_record`."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.audit.chain import GENESIS, canonical_changes, event_hash
from coalition.audit.heads import SignedHead
from coalition.audit.keys import sign, signing_key
from coalition.audit.models import AuditEvent, AuditHead
from coalition.audit.witness import witness_on_commit, witness_path


def actor_name(actor: Actor) -> str:
    return actor.name


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    changes: Mapping[str, Any],
) -> AuditEvent:
    """Append one event; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    seq = head.seq + 1
    prev_hash = head.hash or GENESIS
    occurred_at = timezone.now()
    data = canonical_changes(changes)
    name = actor_name(actor)
    digest = event_hash(
        seq=seq,
        occurred_at=occurred_at.isoformat(),
        actor=name,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=data,
        prev_hash=prev_hash,
    )
    key = signing_key()
    signature = sign(key, seq=seq, digest=digest)
    event = AuditEvent.objects.create(
        seq=seq,
        occurred_at=occurred_at,
        actor=name,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=data,
        prev_hash=prev_hash,
        hash=digest,
        signature=signature,
    )
    AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)
    if (path := witness_path()) is not None:
        signed = SignedHead(seq=seq, hash=digest, signature=signature)
        witness_on_commit(path, signed, key.public_key())
    return event
