"""Reads of the governance domain: who is a member, who holds which role, on any date."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from coalition.governance.errors import (
    ApplicationNotFound,
    CoalitionNotFound,
    CountryUnknown,
    MeetingNotFound,
)
from coalition.governance.models import (
    Application,
    ApplicationStatus,
    Coalition,
    Country,
    Delegate,
    Meeting,
    Membership,
    Role,
    VoteChoice,
)
from coalition.governance.tally import Rule, Tally


@dataclass(frozen=True)
class MemberRow:
    country: Country
    roles: list[str]
    since: date
    note: str
    source_key: str | None


def coalition_get(*, slug: str) -> Coalition:
    try:
        return Coalition.objects.select_related("source").get(slug=slug)
    except Coalition.DoesNotExist:
        raise CoalitionNotFound(f"no coalition with slug '{slug}'") from None


def country_get(*, code: str) -> Country:
    try:
        return Country.objects.get(code=code.upper())
    except Country.DoesNotExist:
        raise CountryUnknown(f"unknown country code '{code}'", field="country") from None


def coalition_list() -> QuerySet[Coalition]:
    return Coalition.objects.all()


def _active_on(on: date) -> Q:
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))


def memberships_on(*, coalition: Coalition, on: date) -> QuerySet[Membership]:
    return coalition.memberships.filter(_active_on(on)).select_related("country", "source")


def members_on(*, coalition: Coalition, on: date) -> list[MemberRow]:
    """Countries holding the `member` role on `on`, each with all its roles that day."""
    roles: dict[str, list[str]] = {}
    member_rows: dict[str, Membership] = {}
    for m in memberships_on(coalition=coalition, on=on):
        roles.setdefault(m.country_id, []).append(m.role)
        if m.role == Role.MEMBER:
            member_rows[m.country_id] = m
    order = [r.value for r in Role]
    return sorted(
        (
            MemberRow(
                country=m.country,
                roles=sorted(roles[code], key=order.index),
                since=m.start,
                note=m.note,
                source_key=m.source.key if m.source else None,
            )
            for code, m in member_rows.items()
        ),
        key=lambda row: (row.since, row.country.code),
    )


def is_member_on(*, coalition: Coalition, country_code: str, on: date) -> bool:
    return (
        memberships_on(coalition=coalition, on=on)
        .filter(country_id=country_code, role=Role.MEMBER)
        .exists()
    )


def role_holders_on(*, coalition: Coalition, role: str, on: date) -> list[str]:
    """Codes of the countries holding `role` on `on` (e.g. who held the chair)."""
    return sorted(
        memberships_on(coalition=coalition, on=on)
        .filter(role=role)
        .values_list("country_id", flat=True)
    )


def role_holder_on(*, coalition: Coalition, role: str, on: date) -> str | None:
    holders = role_holders_on(coalition=coalition, role=role, on=on)
    return holders[0] if holders else None


def membership_history(*, coalition: Coalition) -> QuerySet[Membership]:
    return coalition.memberships.select_related("country", "source").order_by("start", "country")


def country_memberships(*, country: Country) -> QuerySet[Membership]:
    return country.memberships.select_related("coalition", "source").order_by("coalition", "start")


def applications_list(*, coalition: Coalition, status: str | None = None) -> QuerySet[Application]:
    qs = coalition.applications.select_related("country", "meeting", "decision_meeting", "source")
    return qs.filter(status=status) if status else qs


def application_get(*, coalition: Coalition, application_id: int) -> Application:
    try:
        return (
            coalition.applications.select_related(
                "coalition", "country", "meeting", "decision_meeting", "source"
            )
            .prefetch_related("votes__country", "electorate")
            .get(id=application_id)
        )
    except Application.DoesNotExist:
        raise ApplicationNotFound(
            f"no application {application_id} in coalition '{coalition.slug}'"
        ) from None


def application_rule(application: Application) -> Rule:
    """The rule frozen on the application when it was submitted."""
    return Rule(
        name=application.rule,
        threshold=Decimal(application.majority_threshold),
        quorum=Decimal(application.quorum),
    )


def application_tally(application: Application) -> Tally:
    counts = dict(
        application.votes.order_by().values("vote").annotate(n=Count("id")).values_list("vote", "n")
    )
    return Tally(
        electorate=application.electorate.count(),
        approve=counts.get(VoteChoice.APPROVE, 0),
        reject=counts.get(VoteChoice.REJECT, 0),
    )


def applications_awaiting_vote(*, country_code: str, on: date) -> QuerySet[Application]:
    """Pending applications, open on `on`, on which `country_code` has a vote not yet cast."""
    return (
        Application.objects.filter(status=ApplicationStatus.PENDING, electorate=country_code)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=on))
        .exclude(votes__country=country_code)
        .select_related("coalition", "country")
        .order_by("submitted", "id")
    )


def applications_pending(*, coalitions: list[Coalition] | None = None) -> QuerySet[Application]:
    qs = Application.objects.filter(status=ApplicationStatus.PENDING)
    if coalitions is not None:
        qs = qs.filter(coalition__in=coalitions)
    return qs.select_related("coalition", "country").order_by("coalition__name", "submitted", "id")


def meetings_list(*, coalition: Coalition) -> QuerySet[Meeting]:
    return coalition.meetings.select_related("source").prefetch_related(
        "decisions__application__country"
    )


def meeting_get(*, coalition: Coalition, meeting_id: int) -> Meeting:
    try:
        return meetings_list(coalition=coalition).get(id=meeting_id)
    except Meeting.DoesNotExist:
        raise MeetingNotFound(f"no meeting {meeting_id} in coalition '{coalition.slug}'") from None


def delegate_of(user: object) -> Delegate | None:
    """The user's delegation, or None (anonymous, superuser without one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        delegate: Delegate = user.delegate  # type: ignore[attr-defined]
    except Delegate.DoesNotExist:
        return None
    return delegate
