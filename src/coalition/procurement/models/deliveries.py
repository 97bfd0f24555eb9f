"""What arrives and what is paid: delivery manifests (one batch per imported file), every
delivered item by its serial number, the beneficiary's inspections (accept or reject a lot
or some serials), and the fund manager's payments to the supplier. The order keeps running
counts (delivered, accepted, rejected, paid) so that the database itself refuses
"paid > accepted x price" and "more active items than ordered" (orders.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coalition.finance.money import from_minor


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class DeliveryBatch(models.Model):
    """One manifest import: from the command line (run at once) or an upload (large files
    wait for the task worker, their bytes kept here until it has run)."""

    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="delivery_batches"
    )
    name = models.CharField(max_length=255)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the file")
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    rows = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0, help_text="rows read so far")
    written = models.PositiveIntegerField(default=0)
    known = models.PositiveIntegerField(default=0, help_text="rows already delivered as given")
    errors = models.JSONField(default=list, blank=True)
    content = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class ItemStatus(models.TextChoices):
    DELIVERED = "delivered", _("delivered, awaiting inspection")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class RejectionReason(models.TextChoices):
    DAMAGED = "damaged", _("damaged")
    FAILED_INSPECTION = "failed-inspection", _("failed inspection")
    WRONG_MODEL = "wrong-model", _("wrong model")
    MISSING_PARTS = "missing-parts", _("missing parts")


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Inspection(models.Model):
    """The beneficiary's decision on some delivered items of an order (a lot, or a list
    of serials): appended, never changed."""

    order = models.ForeignKey(
        "procurement.Order", on_delete=models.PROTECT, related_name="inspections"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    lot = models.CharField(max_length=100, blank=True)
    items = models.PositiveIntegerField()
    decided_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["order_id", "decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="accepted", reason="") | Q(verdict="rejected") & ~Q(reason=""),
                name="inspection_reason_iff_rejected",
            ),
            models.CheckConstraint(condition=Q(items__gt=0), name="inspection_items_gt0"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.items} {self.verdict}"


class DeliveredItem(models.Model):
    """One item by its serial number, unique across the platform."""

    order = models.ForeignKey("procurement.Order", on_delete=models.PROTECT, related_name="items")
    serial = models.CharField(max_length=100, unique=True)
    delivered_on = models.DateField()
    lot = models.CharField(max_length=100, blank=True)
    batch = models.ForeignKey(
        DeliveryBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    row = models.PositiveIntegerField(null=True, blank=True, help_text="row in its file")
    status = models.CharField(
        max_length=10, choices=ItemStatus.choices, default=ItemStatus.DELIVERED
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="decided"
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )

    class Meta:
        ordering = ["order_id", "delivered_on", "serial"]
        indexes = [
            models.Index(fields=["order", "status"], name="item_order_status"),
            models.Index(fields=["order", "lot"], name="item_order_lot"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["delivered", "accepted", "rejected"]),
                name="item_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="delivered", inspection__isnull=True)
                | ~Q(status="delivered") & Q(inspection__isnull=False),
                name="item_inspected_iff_decided",
            ),
        ]

    def __str__(self) -> str:
        return self.serial


class Payment(models.Model):
    """Money paid to the order's supplier for accepted items: moved in the ledger from the
    order's obligations (the plan's funds) to paid out, under `transaction_key`."""

    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(
        "procurement.Order", on_delete=models.PROTECT, related_name="payments"
    )
    reference = models.CharField(max_length=100)
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    paid_on = models.DateField()
    transaction_key = models.CharField(max_length=200)
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["order_id", "paid_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "reference"], name="payment_reference_unique"
            ),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_amount_gt0"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def amount(self) -> object:
        return from_minor(self.amount_minor, self.currency)
