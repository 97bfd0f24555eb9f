"""Models of the finance domain: rates, funds, the ledger store, contributions, reported
figures. Amounts are integer minor units of their currency (exact on every database)."""

from typing import Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coalition.finance.errors import AppendOnly
from coalition.finance.money import from_minor


class RateSource(models.TextChoices):
    ECB = "ecb", _("ECB reference rate")
    MANUAL = "manual", _("entered by hand")


class Rate(models.Model):
    """Units of `currency` per euro on `date` (the ECB convention)."""

    currency = models.CharField(max_length=3)
    date = models.DateField()
    rate = models.DecimalField(max_digits=18, decimal_places=6)
    source = models.CharField(max_length=10, choices=RateSource.choices)

    class Meta:
        ordering = ["currency", "date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="rate_one_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.date} {self.rate}"


class RateLoad(models.Model):
    """A rates file loaded (or the shipped history, per currency, loaded on first use)."""

    kind = models.CharField(max_length=10)  # shipped, file, manual
    name = models.CharField(max_length=300)
    currency = models.CharField(max_length=3, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["currency"], condition=Q(kind="shipped"), name="rateload_shipped_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name} {self.currency}".strip()


class Channel(models.TextChoices):
    COMMON_FUND = "common-fund", _("common fund")
    NATIONAL = "national", _("national programme")
    INDUSTRY = "industry", _("Ukrainian industry")


class Status(models.TextChoices):
    PLEDGED = "pledged", _("pledged")
    COMMITTED = "committed", _("committed")
    DISBURSED = "disbursed", _("disbursed")


STATUS_ORDER = [Status.PLEDGED.value, Status.COMMITTED.value, Status.DISBURSED.value]


class Fund(models.Model):
    """The common fund (held by the fund manager of the day) or a member's programme."""

    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="funds"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    country = models.ForeignKey(
        "governance.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["channel", "country_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition"], condition=Q(channel="common-fund"), name="fund_one_common"
            ),
            models.UniqueConstraint(
                fields=["coalition", "channel", "country"], name="fund_one_programme_per_country"
            ),
            models.CheckConstraint(
                condition=Q(channel="common-fund", country__isnull=True)
                | (~Q(channel="common-fund") & Q(country__isnull=False)),
                name="fund_programme_has_country",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return self.channel if self.country_id is None else f"{self.channel}:{self.country_id}"


class AccountKind(models.TextChoices):
    # The donor's side: what it pledged, committed and disbursed (memorandum accounts).
    PLEDGED = "pledged", _("pledged by the donor")
    COMMITTED = "committed", _("committed by the donor")
    DISBURSED = "disbursed", _("disbursed by the donor")
    # The fund's side: promises received, money available, obligated, paid out.
    PLEDGES = "pledges", _("pledges received")
    COMMITMENTS = "commitments", _("commitments received")
    AVAILABLE = "available", _("available")
    OBLIGATED = "obligated", _("obligated")
    PAID = "paid", _("paid out")


FLOOR_KINDS = {AccountKind.AVAILABLE.value, AccountKind.OBLIGATED.value}
DONOR_KINDS = {AccountKind.PLEDGED.value, AccountKind.COMMITTED.value, AccountKind.DISBURSED.value}


class Account(models.Model):
    """One ledger account: a fund's earmark (category, origin) in one role, or a donor's
    side of it. `key` is the name the pure ledger core uses."""

    key = models.CharField(max_length=255, unique=True)
    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="+"
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    country = models.ForeignKey(
        "governance.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(max_length=80, blank=True)
    origin = models.CharField(max_length=2, blank=True)
    floor_zero = models.BooleanField(default=False)

    class Meta:
        ordering = ["fund_id", "category", "origin", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_zero=True, kind__in=sorted(FLOOR_KINDS))
                | Q(floor_zero=False, kind__in=sorted(set(AccountKind.values) - FLOOR_KINDS)),
                name="account_floor_on_fund_money",
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def earmark(self) -> str:
        return " · ".join(x for x in (self.category, self.origin) if x) or "—"


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly(f"{self.model.__name__} rows are never updated")

    def delete(self) -> NoReturn:
        raise AppendOnly(f"{self.model.__name__} rows are never deleted; post a reversal")


class AppendOnlyModel(models.Model):
    """Rows written once: the ledger's history. Database triggers back this up."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly(f"{type(self).__name__} rows are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly(f"{type(self).__name__} rows are never deleted; post a reversal")


class LedgerTransaction(AppendOnlyModel):
    idempotency_key = models.CharField(max_length=200, unique=True)
    date = models.DateField(help_text="value date: the day the money moved")
    kind = models.CharField(max_length=20)
    memo = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField()
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.idempotency_key


class Posting(AppendOnlyModel):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="postings"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField(help_text="positive: into the account")
    date = models.DateField(help_text="the transaction's value date, kept for filters")

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount_minor=0), name="posting_not_zero")
        ]
        indexes = [models.Index(fields=["account", "date"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount} {self.currency}"

    @property
    def amount(self) -> Any:
        return from_minor(self.amount_minor, self.currency)


class AccountBalance(models.Model):
    """The balance of one account in one currency, kept with every posting: O(1) reads."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="balances")
    currency = models.CharField(max_length=3)
    balance_minor = models.BigIntegerField(default=0)
    floor_zero = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "currency"], name="balance_one_per_currency"
            ),
            models.CheckConstraint(
                condition=Q(floor_zero=False) | Q(balance_minor__gte=0),
                name="balance_never_below_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.balance} {self.currency}"

    @property
    def balance(self) -> Any:
        return from_minor(self.balance_minor, self.currency)


class AccountYear(models.Model):
    """A donor account's movement per currency and year, and its value in EUR (each
    posting converted at the ECB rate of its date, half-even to the cent), kept with every
    posting: the totals read these rows, never the postings."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="years")
    currency = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    amount_minor = models.BigIntegerField(default=0)
    eur_cents = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "currency", "year"], name="accountyear_one_per_year"
            )
        ]
        indexes = [models.Index(fields=["year", "account"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.year} {self.amount_minor} {self.currency}"


class Contribution(models.Model):
    """A member's contribution, known by its reference, moving forward only:
    pledged -> committed -> disbursed; each step keeps its own date and amount."""

    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="contributions"
    )
    reference = models.CharField(max_length=100)
    donor = models.ForeignKey("governance.Country", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="contributions")
    # The earmark's capability category (none: any); the column keeps its slug.
    category = models.ForeignKey(
        "governance.Category",
        to_field="slug",
        db_column="category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)
    source = models.ForeignKey(
        "governance.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "reference"], name="contribution_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class ContributionStep(models.Model):
    contribution = models.ForeignKey(Contribution, on_delete=models.PROTECT, related_name="steps")
    status = models.CharField(max_length=20, choices=Status.choices)
    date = models.DateField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    implied = models.BooleanField(
        default=False, help_text="counted because the contribution was first seen further on"
    )
    revision = models.PositiveIntegerField(default=0, help_text="corrections so far")
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contribution_id", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "status"], name="step_one_per_status"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="step_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id} {self.status} {self.date}"

    @property
    def amount(self) -> Any:
        return from_minor(self.amount_minor, self.currency)


class FigureKind(models.TextChoices):
    PROVIDED = "provided", _("provided")
    PLANNED = "planned", _("planned")
    PLEDGED = "pledged", _("pledged")
    ALLOCATED = "allocated", _("allocated")
    FUND_SIZE = "fund-size", _("size of the fund")
    ANNOUNCED = "announced", _("announced, no amount given")


class ReportedFigure(models.Model):
    """A figure as a source reports it, at the level it gives (often the whole coalition):
    shown beside the ledger's totals, never split into invented contributions."""

    coalition = models.ForeignKey(
        "governance.Coalition", on_delete=models.PROTECT, related_name="reported_figures"
    )
    kind = models.CharField(max_length=20, choices=FigureKind.choices)
    year = models.PositiveSmallIntegerField()
    as_of = models.DateField(null=True, blank=True)
    amount_minor = models.BigIntegerField(null=True, blank=True, help_text="none: not given")
    currency = models.CharField(max_length=3, default="EUR")
    approximate = models.BooleanField(default=False)
    country = models.ForeignKey(
        "governance.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    category = models.CharField(max_length=80, blank=True)
    origin = models.CharField(max_length=2, blank=True)
    description = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    source = models.ForeignKey("governance.Source", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["year", "as_of", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__isnull=True) | Q(amount_minor__gt=0),
                name="figure_amount_positive",
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def amount(self) -> Any:
        return None if self.amount_minor is None else from_minor(self.amount_minor, self.currency)
