"""The tamper-evident audit log: a hash chain of events, each signed with a key that is not
in the database (coalition.audit.keys), and the head it must end at."""

from django.db import models


class AuditEvent(models.Model):
    """One state change. `hash` covers every field and the previous event's hash;
    `signature` is the chain key's Ed25519 signature of the seq and hash."""

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.CharField(max_length=150, help_text="username, or 'system'")
    action = models.CharField(max_length=100, help_text="e.g. accession.vote_cast")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    changes = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    signature = models.CharField(
        max_length=128, blank=True, default="", help_text="hex; empty: written unsigned"
    )

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="audit_seq_gte_1")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The newest event, kept apart so that deleting the newest events shows; rewinding it
    too is caught by the signed heads kept outside the database (coalition.audit.heads)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")
        ]

    def __str__(self) -> str:
        return f"audit head at #{self.seq}"


class AuditDay(models.Model):
    """The chain's head on a day, as a verification found it intact (`coalition audit
    heads`, or an auditor's "verify the chain"): the newest event's seq, hash and signature
    and the number of events. Auditors export these and later compare their copy with the
    chain, so that even a rewrite of the whole chain, signatures and all, shows."""

    day = models.DateField(unique=True)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=128, blank=True, default="")
    events = models.PositiveBigIntegerField()
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"audit head of {self.day}: #{self.seq}"
