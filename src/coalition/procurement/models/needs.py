"""What the beneficiary needs: requirements, each a quantity of one capability category
needed by a date, with a weight that says how much one unit covered on time is worth."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    CRITICAL = "critical", _("critical")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")


class RequirementStatus(models.TextChoices):
    OPEN = "open", _("open")
    PLANNED = "planned", _("planned")
    ORDERED = "ordered", _("ordered")
    PARTLY_DELIVERED = "partly-delivered", _("partly delivered")
    DELIVERED = "delivered", _("delivered")


class Requirement(models.Model):
    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="requirements"
    )
    reference = models.CharField(max_length=100)
    category = models.ForeignKey(
        "governance.Category", on_delete=models.PROTECT, related_name="requirements"
    )
    quantity = models.PositiveIntegerField()
    weight = models.DecimalField(
        max_digits=16,
        decimal_places=6,
        help_text=_(
            "What one unit covered on time is worth, against the other needs: a unit of a "
            "requirement of weight 10 counts twice as much as one of weight 5."
        ),
    )
    needed_by = models.DateField()
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=RequirementStatus.choices, default=RequirementStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["needed_by", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "reference"], name="requirement_reference_unique"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="requirement_quantity_gt0"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="requirement_weight_gt0"),
        ]

    def __str__(self) -> str:
        return self.reference
