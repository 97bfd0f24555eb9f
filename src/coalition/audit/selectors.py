"""Reading the audit chain, and verifying it."""

from collections.abc import Iterator
from dataclasses import dataclass

from coalition.audit.chain import GENESIS, event_hash
from coalition.audit.models import AuditEvent, AuditHead


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    problem: str = ""


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def audit_verify() -> ChainReport:
    """Walk the chain from the first event; name the first one that does not hold."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for event in _events():
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                return ChainReport(False, count, f"event #{expected_seq} was removed")
            return ChainReport(False, count, f"event #{event.seq} was inserted")
        if event.prev_hash != prev_hash:
            return ChainReport(
                False, count, f"event #{event.seq} does not follow event #{event.seq - 1}"
            )
        digest = event_hash(
            seq=event.seq,
            occurred_at=event.occurred_at.isoformat(),
            actor=event.actor,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            changes=event.changes,
            prev_hash=event.prev_hash,
        )
        if digest != event.hash:
            return ChainReport(False, count, f"event #{event.seq} ({event.action}) was altered")
        expected_seq, prev_hash, count = event.seq + 1, event.hash, count + 1
    head = AuditHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, "")
    last_seq = expected_seq - 1
    if head_seq > last_seq:
        return ChainReport(False, count, f"event #{last_seq + 1} and after were removed")
    if head_seq < last_seq or (head_seq and head_hash != prev_hash):
        return ChainReport(False, count, f"event #{head_seq + 1} was inserted after the head")
    return ChainReport(True, count)


def audit_events_for(*, object_type: str, object_id: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)))
