"""Reads of the governance domain: who is a member, who holds which role, on any date."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from coalition.access import policy
from coalition.access.actor import Actor
from coalition.governance.errors import (
    ApplicationNotFound,
    CoalitionNotFound,
    CountryNotFound,
    CountryUnknown,
    MeetingNotFound,
    UserUnknown,
)
from coalition.governance.models import (
    Application,
    ApplicationStatus,
    Category,
    Coalition,
    Country,
    Delegate,
    Meeting,
    Membership,
    Role,
    Source,
    VoteChoice,
)
from coalition.governance.tally import Rule, Tally, outcome


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


def user_get(*, username: str) -> Any:
    """The user named `username`, for the services that act on someone by name (tokens,
    two-factor resets); else UserUnknown, naming the field."""
    User = get_user_model()
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise UserUnknown(f"no user named '{username}'", field="username") from None


def country_at(*, code: str) -> Country:
    """The country a URL names; NotFound (not invalid input) when there is none."""
    try:
        return Country.objects.get(code=code.upper())
    except Country.DoesNotExist:
        raise CountryNotFound(f"no country with code '{code}'") from None


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


def roles_on(*, coalition: Coalition, country_code: str, on: date) -> frozenset[str]:
    """The roles `country_code` holds in `coalition` on `on` (member, chair, ...)."""
    return frozenset(
        memberships_on(coalition=coalition, on=on)
        .filter(country_id=country_code)
        .values_list("role", flat=True)
    )


def member_coalition_ids(*, country_code: str, on: date) -> list[int]:
    """Ids of the coalitions `country_code` is a member of on `on`."""
    return list(
        Membership.objects.filter(_active_on(on), country_id=country_code, role=Role.MEMBER)
        .values_list("coalition_id", flat=True)
        .distinct()
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


def _as_of_today(application: Application) -> Application:
    """The application as it reads today: an expired vote carries the outcome its votes
    give (in memory only; the worker records it), with `closing` set."""
    result = application_outcome(application)
    application.closing = result.closing  # type: ignore[attr-defined]
    application.status, application.decided = result.status, result.decided
    return application


def applications_list(
    *, actor: Actor, coalition: Coalition, status: str | None = None
) -> list[Application]:
    """The coalition's applications as they read today, optionally of one status."""
    policy.require(actor, "application.view")
    return applications_public(coalition=coalition, status=status)


def applications_public(*, coalition: Coalition, status: str | None = None) -> list[Application]:
    """What the coalition's public page lists: who applied when, and the outcome."""
    qs = coalition.applications.select_related("country", "meeting", "decision_meeting", "source")
    found = [_as_of_today(a) for a in qs]
    return [a for a in found if a.status == status] if status else found


def application_get(*, actor: Actor, coalition: Coalition, application_id: int) -> Application:
    policy.require(actor, "application.view")
    try:
        return _as_of_today(
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


@dataclass(frozen=True)
class Outcome:
    """An application's status as of a day: `closing` when its deadline has passed and
    the decision that follows from the votes is not recorded yet (the worker records it)."""

    status: str
    decided: date | None
    closing: bool = False


def application_outcome(application: Application, today: date | None = None) -> Outcome:
    today = today or timezone.localdate()
    deadline = application.deadline
    if application.status == ApplicationStatus.PENDING and deadline and deadline < today:
        rule, tally = application_rule(application), application_tally(application)
        return Outcome(str(outcome(rule, tally, final=True)), deadline, closing=True)
    return Outcome(application.status, application.decided)


def elector_problem(application: Application, country: str) -> tuple[str, str] | None:
    """Why `country` has no vote on `application` (message, code), or None: the
    candidate never votes, and only the members of the submission day do."""
    if country == application.country_id:
        return (
            f"{country} is the candidate and does not vote on its application",
            "application.candidate_votes",
        )
    if not application.electorate.filter(code=country).exists():
        return (
            f"{country} was not a member of {application.coalition.slug} on "
            f"{application.submitted:%Y-%m-%d}, when application {application.pk} was "
            "submitted, and has no vote on it",
            "application.not_an_elector",
        )
    return None


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
    today = timezone.localdate()
    qs = Application.objects.filter(status=ApplicationStatus.PENDING).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today)
    )
    if coalitions is not None:
        qs = qs.filter(coalition__in=coalitions)
    return qs.select_related("coalition", "country").order_by("coalition__name", "submitted", "id")


def meetings_list(*, actor: Actor, coalition: Coalition) -> QuerySet[Meeting]:
    policy.require(actor, "meeting.view")
    return coalition.meetings.select_related("source").prefetch_related(
        "decisions__application__country"
    )


def meeting_get(*, actor: Actor, coalition: Coalition, meeting_id: int) -> Meeting:
    try:
        return meetings_list(actor=actor, coalition=coalition).get(id=meeting_id)
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


@dataclass(frozen=True)
class Actions:
    """What an actor may do on an application's page (the buttons it is shown)."""

    vote: bool
    withdraw: bool
    link_meeting: bool


def application_actions(actor: Actor, application: Application, on: date) -> Actions:
    own = actor.speaks_for
    open_ = application_outcome(application, on).status == ApplicationStatus.PENDING
    voted = {v.country_id for v in application.votes.all()}
    decided = application.status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
    coalition = application.coalition
    return Actions(
        vote=bool(
            open_
            and own not in voted
            and policy.may(actor, "application.vote", application=application)
        ),
        withdraw=open_
        and policy.may(
            actor, "application.withdraw", coalition=coalition, country=application.country_id
        ),
        link_meeting=bool(
            decided
            and application.decision_meeting_id is None
            and policy.may(actor, "meeting.decide", coalition=coalition)
        ),
    )


def apply_countries(actor: Actor, coalition: Coalition, today: date) -> list[Country]:
    """The countries `actor` may apply for: its own, or (the chair) any non-member
    without a pending application; refused to whoever may apply for none."""
    policy.require(actor, "application.apply", coalition=coalition)
    members = {row.country.code for row in members_on(coalition=coalition, on=today)}
    pending = set(
        coalition.applications.filter(status=ApplicationStatus.PENDING).values_list(
            "country_id", flat=True
        )
    )
    if policy.is_chair(actor, coalition):
        return [c for c in Country.objects.order_by("name") if c.code not in members | pending]
    own = actor.speaks_for
    if own is None or own in members or own in pending:
        return []
    return [Country.objects.get(code=own)]


def may_apply(actor: Actor, coalition: Coalition, today: date) -> bool:
    """Whether the coalition's page offers `actor` to apply (for its own country)."""
    if policy.is_chair(actor, coalition) or not policy.may(
        actor, "application.apply", coalition=coalition
    ):
        return False
    return bool(apply_countries(actor, coalition, today))


def categories_list() -> QuerySet[Category]:
    """The capability categories, in their managed order (public: they name no one)."""
    return Category.objects.all()


def countries_by_code(codes: list[str] | None = None) -> dict[str, Country]:
    """Countries by ISO code (all of them when `codes` is None), for naming them."""
    found = Country.objects.all() if codes is None else Country.objects.filter(code__in=codes)
    return {c.code: c for c in found}


ILLUSTRATIVE_SOURCE = "demo-exercise"


def illustrative_records_present() -> bool:
    """Whether the demo's illustrative purchase exercise is loaded: its money, needs,
    suppliers and prices are invented, and every page says so."""
    return Source.objects.filter(key=ILLUSTRATIVE_SOURCE).exists()


def own_pending_application(actor: Actor, coalition: Coalition) -> Application | None:
    """The pending application of the actor's own country to `coalition`: its status is
    shown where the Apply form would be."""
    if actor.speaks_for is None:
        return None
    return (
        coalition.applications.filter(country_id=actor.speaks_for, status=ApplicationStatus.PENDING)
        .select_related("country")
        .first()
    )
