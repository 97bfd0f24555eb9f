"""Coalitions, countries, memberships with roles and dates, delegations, sources."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    """An ISO 3166-1 country, loaded from pycountry by a migration."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def flag(self) -> str:
        # Regional indicator symbols: the flag is derived from the code, no image needed.
        return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in self.code)


class Source(models.Model):
    """Where a fact comes from. Every demo fact points at one."""

    key = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    url = models.URLField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title


class AccessionRule(models.TextChoices):
    UNANIMITY = "unanimity", _("unanimity")
    QUALIFIED_MAJORITY = "qualified-majority", _("qualified majority")


class Coalition(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    founded = models.DateField()
    format = models.CharField(max_length=200, blank=True, help_text="e.g. the UDCG")
    description = models.TextField(blank=True)
    accession_rule = models.CharField(
        max_length=30, choices=AccessionRule.choices, default=AccessionRule.UNANIMITY
    )
    # Qualified majority: approvals / electorate must reach the threshold, and
    # votes cast / electorate the quorum. Fractions in [0, 1].
    majority_threshold = models.DecimalField(max_digits=5, decimal_places=4, default=1)
    quorum = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    # When set, an application's deadline defaults to its submission day plus these days.
    accession_vote_days = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)
    # Publication of the procurement in OCDS (coalition.procurement.ocds): every ocid is
    # `<ocid_prefix>-<slug>-<competition reference>`; what is marked confidential is left
    # out of the export (prices: every amount but the budgets; suppliers: their names).
    ocid_prefix = models.CharField(
        max_length=11,
        default="ocds-coalit",
        validators=[
            RegexValidator(
                r"^ocds-[a-z0-9]{6}$",
                _("an OCDS prefix: 'ocds-' and six lower-case letters or digits"),
            )
        ],
        help_text=_("the OCDS prefix of the coalition's contracting processes"),
    )
    confidential_prices = models.BooleanField(
        default=False, help_text=_("leave prices and payments out of the public OCDS export")
    )
    confidential_suppliers = models.BooleanField(
        default=False, help_text=_("leave suppliers out of the public OCDS export")
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(majority_threshold__gt=0, majority_threshold__lte=1),
                name="coalition_threshold_fraction",
            ),
            models.CheckConstraint(
                condition=Q(quorum__gte=0, quorum__lte=1), name="coalition_quorum_fraction"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CHAIR = "chair", _("chair")
    FUND_MANAGER = "fund-manager", _("fund manager")
    MEMBER = "member", _("member")
    BENEFICIARY = "beneficiary", _("beneficiary")
    OBSERVER = "observer", _("observer")
    CANDIDATE = "candidate", _("candidate")


class Membership(models.Model):
    """A country holding one role in a coalition from `start` until `end` (exclusive)."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["start", "country_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "country", "role", "start"], name="membership_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="membership_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["coalition", "role", "start"])]

    def __str__(self) -> str:
        return f"{self.country_id} {self.role} of {self.coalition.slug} from {self.start}"


class DelegateKind(models.TextChoices):
    DELEGATE = "delegate", _("delegate")
    BENEFICIARY = "beneficiary", _("beneficiary")
    AUDITOR = "auditor", _("auditor")


class Delegate(models.Model):
    """A user's place: the delegation of a country, or the auditors (no country)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegate"
    )
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(max_length=20, choices=DelegateKind.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="auditor") | Q(country__isnull=False),
                name="delegate_has_country_unless_auditor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.kind} {self.country_id or ''})"


class TokenScope(models.TextChoices):
    READ = "read", _("read-only")
    WRITE = "read-write", _("read-write")


class ApiToken(models.Model):
    """A Bearer token; only its SHA-256 is stored. It works until `expires` (None: never,
    only when asked for explicitly) unless revoked; a read-only one refuses writes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="the first characters, to tell tokens apart")
    name = models.CharField(max_length=100, blank=True)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.WRITE)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When a request last authenticated with it, to the minute (auth.py writes it at
    # most once a minute per token): metadata about the credential, not a domain fact.
    last_used = models.DateTimeField(null=True, blank=True)
    # Not a field: the data's version read in the same query as the token (token_lookup).
    data_version: str | None = None

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        """What is stored of a token: its SHA-256, never the token itself."""
        return hashlib.sha256(token.encode()).hexdigest()

    def status(self, now: datetime) -> str:
        """ "active", "expired" or "revoked" at `now`."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires is not None and self.expires <= now:
            return "expired"
        return "active"

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ


class MeetingKind(models.TextChoices):
    SUMMIT = "summit", _("summit")
    STEERING_COMMITTEE = "steering-committee", _("steering committee")
    UDCG = "udcg", _("UDCG meeting")


class Meeting(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    title = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date} {self.place}".strip()


class MeetingDecision(models.Model):
    """A decision taken at a meeting; it may be the decision on an accession application."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    application = models.ForeignKey(
        "Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
    )

    class Meta:
        ordering = ["meeting__date", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Application(models.Model):
    """A candidate's request to join.

    The electorate and the rule (with its threshold and quorum) are frozen when it is
    submitted, so later joiners, leavers or rule changes don't change the count.
    """

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="applications")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    submitted = models.DateField()
    decided = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    letter_reference = models.CharField(max_length=200, blank=True)
    letter_date = models.DateField(null=True, blank=True)
    electorate = models.ManyToManyField(Country, related_name="+", blank=True)
    rule = models.CharField(
        max_length=30, choices=AccessionRule.choices, default=AccessionRule.UNANIMITY
    )
    majority_threshold = models.DecimalField(max_digits=5, decimal_places=4, default=1)
    quorum = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    # `meeting`: where the application was presented; `decision_meeting`: where it was decided.
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL)
    decision_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_applications",
    )
    note = models.TextField(blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-submitted", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "country"],
                condition=Q(status="pending"),
                name="application_one_pending_per_country",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided__isnull=True)
                | (~Q(status="pending") & Q(decided__isnull=False)),
                name="application_decided_iff_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} → {self.coalition.slug} ({self.status})"


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("approve")
    REJECT = "reject", _("reject")


class Vote(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="votes")
    country = models.ForeignKey(Country, on_delete=models.PROTECT)
    vote = models.CharField(max_length=10, choices=VoteChoice.choices)
    comment = models.TextField(blank=True)
    cast = models.DateTimeField()
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["cast", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "country"], name="vote_one_per_country")
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.vote} on {self.application_id}"


class Category(models.Model):
    """A capability category (tactical reconnaissance, FPV strike, ...): what requirements,
    competitions, offers and earmarks are about. A managed list, named in each language."""

    slug = models.SlugField(max_length=80, primary_key=True)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120)
    name_uk = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name_en

    def name_in(self, language: str | None) -> str:
        """The name in `language` (fr, uk), else in English."""
        return str(getattr(self, f"name_{(language or 'en')[:2]}", "") or self.name_en)
