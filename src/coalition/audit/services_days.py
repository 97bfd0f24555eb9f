"""Verifying the chain on request (an auditor's button, `POST /api/v1/audit/verify`,
`coalition audit heads`), and keeping the day's head.

A verification is a read of the chain, but it is recorded: one `audit.verified` event
saying what was found (an auditor's check is itself part of the record), and, when the
chain was intact, the head it was found intact at becomes the day's head (AuditDay,
moved forward by later verifications of the same day, never back). The event comes after
the head it reports, so the head then moves on by that one event: the next verification
covers it.

The chain is walked before the write transaction opens, in its own read snapshot: on
SQLite a write transaction would hold the database's write lock for the whole walk."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.heads import SignedHead
from coalition.audit.models import AuditDay, AuditEvent
from coalition.audit.selectors import Anchor, ChainReport, audit_verify
from coalition.audit.services import audit_record

PROBLEMS_RECORDED = 20


@dataclass(frozen=True)
class Verification:
    intact: bool
    events: int  # the events walked intact
    seq: int | None  # the last of them
    head: str | None  # its hash
    problems: tuple[str, ...]
    day: AuditDay | None  # the day's head, when this verification recorded or moved it


def day_anchors() -> list[Anchor]:
    """The days' heads kept in the database, as heads the chain must hold: a chain rewritten
    behind the application's back (even re-signed) no longer holds the earlier days'."""
    rows = AuditDay.objects.order_by("day").values_list("day", "seq", "hash", "signature")
    return [
        Anchor(f"the head of {day.isoformat()}", SignedHead(seq=seq, hash=digest, signature=sig))
        for day, seq, digest, sig in rows
    ]


def audit_chain_verify(*, actor: Actor) -> Verification:
    """Walk the chain (with the days' heads as anchors), then record what was found."""
    require(actor, "audit.verify")
    report = audit_verify(exported=day_anchors())
    return _verification_record(actor=actor, report=report)


@transaction.atomic
def _verification_record(*, actor: Actor, report: ChainReport) -> Verification:
    seq, digest = report.last if report.last else (None, None)
    day = None
    if report.ok and seq is not None and digest is not None:
        day = _day_advance(actor=actor, seq=seq, digest=digest, events=report.events)
    today = timezone.localdate()
    audit_record(
        actor=actor,
        action="audit.verified",
        object_type="audit_chain",
        object_id=today.isoformat(),
        changes={
            "intact": report.ok,
            "events": report.events,
            "seq": seq,
            "head": digest,
            "problems": list(report.problems[:PROBLEMS_RECORDED]),
            "day_recorded": day is not None,
        },
    )
    return Verification(report.ok, report.events, seq, digest, report.problems, day)


def _day_advance(*, actor: Actor, seq: int, digest: str, events: int) -> AuditDay | None:
    """Today's head becomes (seq, digest) unless it is already there or further on."""
    today = timezone.localdate()
    signature = AuditEvent.objects.filter(seq=seq).values_list("signature", flat=True).first()
    values = {
        "seq": seq,
        "hash": digest,
        "signature": signature or "",
        "events": events,
        "recorded_at": timezone.now(),
        "recorded_by": actor.name,
    }
    day = AuditDay.objects.select_for_update().filter(day=today).first()
    if day is None:
        return AuditDay.objects.create(day=today, **values)
    if day.seq >= seq:
        return None
    for name, value in values.items():
        setattr(day, name, value)
    day.save()
    return day


def audit_day_due(*, actor: Actor) -> Verification | None:
    """The task worker's daily job: verify the chain and record today's head, unless a
    verification already recorded today's head."""
    if AuditDay.objects.filter(day=timezone.localdate()).exists():
        return None
    return audit_chain_verify(actor=actor)


def audit_chain_verify_request(*, actor: Actor) -> None:
    """The auditor's button: the walk runs in the task worker, and its `audit.verified`
    event is the answer. A verification already waiting or running is not asked twice.
    Asking writes no event of its own: the verification it starts records one."""
    from coalition.audit.selectors_verify import verification_pending
    from coalition.audit.tasks import audit_chain_verify_task

    require(actor, "audit.verify")
    if verification_pending() is None:
        audit_chain_verify_task.enqueue(actor.name)
