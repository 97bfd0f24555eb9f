"""Orders placed when the fund manager approves a plan: one per offer, with the units it
covers of each requirement (its delivery schedule), the funds and earmarks that pay for
it (each an obligation in the ledger), and every revision it went through."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coalition.finance.money import from_minor


class OrderStatus(models.TextChoices):
    SIGNED = "signed", _("signed")
    CANCELLED = "cancelled", _("cancelled")
    CLOSED = "closed", _("closed")


class Order(models.Model):
    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="orders"
    )
    reference = models.CharField(max_length=100)
    plan = models.ForeignKey("procurement.PlanRun", on_delete=models.PROTECT, related_name="orders")
    offer = models.ForeignKey("procurement.Offer", on_delete=models.PROTECT, related_name="orders")
    supplier = models.ForeignKey(
        "procurement.Supplier", on_delete=models.PROTECT, related_name="orders"
    )
    category = models.ForeignKey("governance.Category", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    quantity = models.PositiveIntegerField()
    unit_price_minor = models.BigIntegerField()
    amount_minor = models.BigIntegerField()
    status = models.CharField(
        max_length=12, choices=OrderStatus.choices, default=OrderStatus.SIGNED
    )
    signed_on = models.DateField()
    revision = models.PositiveIntegerField(default=0)
    # Running counts kept by the delivery, inspection and payment services (with F()),
    # so that the database refuses what the invariants forbid.
    delivered = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    paid_minor = models.BigIntegerField(default=0)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["signed_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "reference"], name="order_reference_unique"
            ),
            models.UniqueConstraint(fields=["plan", "offer"], name="order_one_per_offer_and_plan"),
            models.CheckConstraint(
                condition=Q(amount_minor=F("quantity") * F("unit_price_minor")),
                name="order_amount_is_quantity_times_price",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled") | Q(quantity__gt=0), name="order_quantity_gt0"
            ),
            models.CheckConstraint(
                condition=Q(delivered__lte=F("quantity") + F("rejected")),
                name="order_active_items_lte_quantity",
            ),
            models.CheckConstraint(
                condition=Q(accepted__lte=F("delivered") - F("rejected")),
                name="order_accepted_lte_delivered",
            ),
            models.CheckConstraint(
                condition=Q(paid_minor__gte=0)
                & Q(paid_minor__lte=F("accepted") * F("unit_price_minor")),
                name="order_paid_lte_accepted_times_price",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def amount(self) -> object:
        return from_minor(self.amount_minor, self.currency)

    @property
    def unit_price(self) -> object:
        return from_minor(self.unit_price_minor, self.currency)


class OrderLine(models.Model):
    """Units of the order that cover one requirement, due by a date (the schedule)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    requirement = models.ForeignKey(
        "procurement.Requirement", on_delete=models.PROTECT, related_name="order_lines"
    )
    quantity = models.PositiveIntegerField()
    due = models.DateField()

    class Meta:
        ordering = ["order_id", "due", "requirement_id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "requirement"], name="order_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} for {self.requirement_id} by {self.due}"


class OrderFunding(models.Model):
    """What one fund's earmark pays of the order: obligated in the ledger under
    `obligation_key` (the current revision's transaction)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="fundings")
    fund = models.ForeignKey("finance.Fund", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=80, blank=True)
    origin = models.CharField(max_length=2, blank=True)
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    joined = models.BooleanField(default=False, help_text=_("a programme that joined"))
    obligation_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["order_id", "fund_id", "category", "origin"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "fund", "category", "origin"], name="order_funding_unique"
            ),
            models.CheckConstraint(condition=Q(amount_minor__gte=0), name="order_funding_gte0"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.category}/{self.origin} {self.amount_minor}"

    @property
    def amount(self) -> object:
        return from_minor(self.amount_minor, self.currency)


class OrderRevision(models.Model):
    """The order as it stood after each step (signed, amended, cancelled): appended,
    never changed."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=OrderStatus.choices)
    quantity = models.PositiveIntegerField()
    amount_minor = models.BigIntegerField()
    lines = models.JSONField()
    fundings = models.JSONField()
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["order_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="order_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} revision {self.number} ({self.status})"
