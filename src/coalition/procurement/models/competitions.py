"""Suppliers, their test results, competitions run by the fund manager, the offers they
draw (volume price tiers, capacity, lead time, origin) and the members' reviews."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coalition.finance.money import from_minor


class Supplier(models.Model):
    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="suppliers"
    )
    name = models.CharField(max_length=200)
    country = models.ForeignKey("governance.Country", on_delete=models.PROTECT, related_name="+")
    registration_number = models.CharField(max_length=100, blank=True)
    contact = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "name"], name="supplier_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TrialOutcome(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")


class TrialResult(models.Model):
    """A supplier's product of a category tested at a site: only a passed test lets its
    offers of that category receive more than a competition's trial quantity."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="trials")
    category = models.ForeignKey("governance.Category", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=TrialOutcome.choices)
    date = models.DateField()
    site = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.supplier} {self.category_id} {self.outcome} {self.date}"


class CompetitionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    AWARDED = "awarded", _("awarded")
    CANCELLED = "cancelled", _("cancelled")


class Competition(models.Model):
    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="competitions"
    )
    reference = models.CharField(max_length=100)
    category = models.ForeignKey("governance.Category", on_delete=models.PROTECT, related_name="+")
    budget_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    bid_deadline = models.DateField(help_text=_("the last day offers are received"))
    status = models.CharField(
        max_length=10, choices=CompetitionStatus.choices, default=CompetitionStatus.OPEN
    )
    trial_quantity = models.PositiveIntegerField(
        default=0,
        help_text=_("at most this many units from a supplier without a passed test"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-bid_deadline", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "reference"], name="competition_reference_unique"
            ),
            models.CheckConstraint(condition=Q(budget_minor__gt=0), name="competition_budget_gt0"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def budget(self) -> object:
        return from_minor(self.budget_minor, self.currency)


class Participation(models.Model):
    """A national or industry programme joining a competition's purchase: its delegation
    lets the fund manager spend from it for the orders of that competition."""

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="participations"
    )
    fund = models.ForeignKey("finance.Fund", on_delete=models.PROTECT, related_name="+")
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["competition_id", "fund_id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "fund"], name="participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} in {self.competition_id}"


class Offer(models.Model):
    """A supplier's offer in a competition, frozen at the bid deadline."""

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="offers")
    reference = models.CharField(max_length=100)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="offers")
    origin = models.ForeignKey("governance.Country", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    capacity_per_30_days = models.PositiveIntegerField()
    lead_time_days = models.PositiveIntegerField()
    valid_until = models.DateField(null=True, blank=True)
    received_on = models.DateField()

    class Meta:
        ordering = ["competition_id", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "reference"], name="offer_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(capacity_per_30_days__gt=0), name="offer_capacity_gt0"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("received_on")),
                name="offer_valid_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class OfferTier(models.Model):
    """All-units price: every unit of an order of at least `min_quantity` costs this."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.PositiveIntegerField()
    unit_price_minor = models.BigIntegerField()

    class Meta:
        ordering = ["offer_id", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "min_quantity"], name="tier_one_per_min"),
            models.CheckConstraint(condition=Q(min_quantity__gt=0), name="tier_min_gt0"),
            models.CheckConstraint(condition=Q(unit_price_minor__gt=0), name="tier_price_gt0"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} from {self.min_quantity}"


class Review(models.Model):
    """A member delegation's score (1 to 5) and comment on an offer: read by the members,
    never by suppliers."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="reviews")
    country = models.ForeignKey("governance.Country", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["offer_id", "country_id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "country"], name="review_one_per_delegation"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="review_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.score} on {self.offer_id}"
