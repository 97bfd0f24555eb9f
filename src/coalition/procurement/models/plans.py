"""Models of the procurement domain: runs of the pooled-purchase optimiser."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class PlanSource(models.TextChoices):
    PASTED = "pasted", _("a pasted scenario")
    DATABASE = "database", _("built from requirements, competitions and funds")


class PlanRun(models.Model):
    """One solve of a scenario: its input, where it stands, and the plan it produced."""

    coalition = models.ForeignKey(
        "governance.Coalition", null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(max_length=200, blank=True)
    scenario = models.JSONField()
    time_limit = models.FloatField(help_text="seconds for the whole solve")
    compare_separate = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.QUEUED)
    progress = models.JSONField(default=dict, blank=True)
    plan = models.JSONField(null=True, blank=True)
    baseline = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=PlanSource.choices, default=PlanSource.PASTED)
    # For a plan built from the database: what each scenario id stands for (requirements,
    # offers, funds' earmarks), what was left out and why, and the balances' date.
    inputs = models.JSONField(default=dict, blank=True)
    built_on = models.DateField(null=True, blank=True)
    marginal = models.JSONField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit__gt=0, time_limit__lte=3600), name="planrun_time_limit_range"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(plan__isnull=False), name="planrun_done_has_plan"
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(status="done", source="database"),
                name="planrun_approved_is_done_and_built",
            ),
        ]

    def __str__(self) -> str:
        return f"plan run {self.pk} ({self.status})"
