"""The accession procedure (writes): applications, votes, decisions.

Every function below that changes state runs in one transaction and records exactly one
audit event; a vote that decides an application records the decision (and the membership
change it causes) in the vote's own event. Locks are taken in a fixed order: the
application row first, then membership rows, then the audit head.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance import selectors
from coalition.governance.errors import (
    AlreadyVoted,
    ApplicationConflict,
    ApplicationDecided,
    InvalidApplication,
    NotAllowed,
    NotAnElector,
)
from coalition.governance.models import (
    Application,
    ApplicationStatus,
    Coalition,
    Country,
    Meeting,
    Membership,
    Role,
    Source,
    Vote,
    VoteChoice,
)
from coalition.governance.services.coalitions import membership_write
from coalition.governance.tally import APPROVED, outcome
from coalition.validation import model_check


def _candidate_row(application: Application, on: date) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .filter(
            coalition_id=application.coalition_id,
            country_id=application.country_id,
            role=Role.CANDIDATE,
            start__lte=on,
        )
        .filter(Q(end__isnull=True) | Q(end__gt=on))
        .first()
    )


def _end_candidacy(application: Application, on: date) -> dict[str, Any] | None:
    """The candidate role ends on the decision day (a row that would last no day goes)."""
    row = _candidate_row(application, on)
    if row is None:
        return None
    changes: dict[str, Any] = {"membership": row.pk, "role": Role.CANDIDATE}
    if row.start >= on:
        row.delete()
        changes["removed"] = True
    else:
        row.end = on
        row.save(update_fields=["end"])
        changes["end"] = on
    return changes


def _decide(application: Application, *, on: date, final: bool) -> dict[str, Any] | None:
    """Take the decision if the rule makes it certain; what changed, for the audit event."""
    tally = selectors.application_tally(application)
    result = outcome(selectors.application_rule(application), tally, final=final)
    if result is None:
        return None
    application.status = result
    application.decided = on
    application.save(update_fields=["status", "decided"])
    changes: dict[str, Any] = {
        "status": result,
        "decided": on,
        "tally": {"electorate": tally.electorate, "approve": tally.approve, "reject": tally.reject},
        "candidate_role": _end_candidacy(application, on),
    }
    if result == APPROVED:
        member = membership_write(
            coalition=application.coalition,
            country=application.country,
            role=Role.MEMBER,
            start=on,
            note=f"admitted on application #{application.pk}",
            source=application.source,
        )
        changes["member_role"] = {"membership": member.pk, "role": Role.MEMBER, "start": on}
    return changes


def _lock(application: Application) -> Application:
    # Only the application row is locked (`of`): PostgreSQL cannot lock the nullable
    # side of the outer join that fetches its source.
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("coalition", "country", "source")
        .get(pk=application.pk)
    )


def _refuse_if_decided(application: Application, today: date) -> None:
    if application.status != ApplicationStatus.PENDING:
        raise ApplicationDecided(
            f"application {application.pk} is already {application.status}"
            f" (on {application.decided:%Y-%m-%d})",
            code="application.decided",
        )
    if application.deadline is not None and today > application.deadline:
        raise ApplicationDecided(
            f"voting on application {application.pk} closed on {application.deadline}",
            code="application.closed",
        )


def _check_submission(
    *,
    coalition: Coalition,
    country: Country,
    submitted: date,
    deadline: date | None,
    letter_date: date | None,
) -> None:
    today = timezone.localdate()
    if submitted > today:
        raise InvalidApplication("the submission date is in the future", field="submitted")
    if letter_date is not None and letter_date > today:
        raise InvalidApplication("the letter is dated in the future", field="letter_date")
    if deadline is not None and deadline < submitted:
        raise InvalidApplication("the deadline is before the submission", field="deadline")
    for day in {submitted, today}:
        if selectors.is_member_on(coalition=coalition, country_code=country.code, on=day):
            raise NotAllowed(
                f"{country.code} is already a member of {coalition.slug}",
                code="application.already_member",
            )


def _check_submitter(
    actor: Actor,
    coalition: Coalition,
    country: Country,
    *,
    letter: bool,
    backdated: bool,
) -> None:
    require(actor, "application.submit", coalition=coalition, country=country.code)
    if letter:
        require(actor, "application.record_letter", coalition=coalition)
    if backdated:
        require(actor, "application.backdate")


@transaction.atomic
def application_submit(
    *,
    actor: Actor,
    coalition: Coalition,
    country: Country,
    submitted: date | None = None,
    deadline: date | None = None,
    letter_reference: str = "",
    letter_date: date | None = None,
    note: str = "",
    source: Source | None = None,
    meeting: Meeting | None = None,
) -> Application:
    """A country applies; the members of the day it is recorded become the frozen
    electorate. The letter's date is information only: dating the letter back does not
    choose the voters. Only a data loader replaying history (a system actor granted
    `application.backdate`) records an application on an earlier `submitted` day.
    The candidate holds the `candidate` role from that day until the decision.
    """
    today = timezone.localdate()
    _check_submitter(
        actor,
        coalition,
        country,
        letter=bool(letter_reference or letter_date or deadline),
        backdated=submitted is not None and submitted != today,
    )
    submitted = submitted or today
    _check_submission(
        coalition=coalition,
        country=country,
        submitted=submitted,
        deadline=deadline,
        letter_date=letter_date,
    )
    electorate = [
        row.country
        for row in selectors.members_on(coalition=coalition, on=submitted)
        if row.country.code != country.code
    ]
    if not electorate:
        raise ApplicationConflict(
            f"{coalition.slug} had no member on {submitted} to vote",
            code="application.no_electorate",
        )
    if deadline is None and coalition.accession_vote_days:
        deadline = submitted + timedelta(days=coalition.accession_vote_days)
    application = Application(
        coalition=coalition,
        country=country,
        submitted=submitted,
        deadline=deadline,
        letter_reference=letter_reference,
        letter_date=letter_date,
        rule=coalition.accession_rule,
        majority_threshold=coalition.majority_threshold,
        quorum=coalition.quorum,
        note=note,
        source=source,
        meeting=meeting,
    )
    model_check(application, exclude=["coalition", "country", "meeting", "source"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ApplicationConflict(
            f"{country.code} already has a pending application to {coalition.slug}",
            code="application.already_pending",
        ) from None
    application.electorate.set(electorate)
    candidacy = _candidate_row(application, submitted) or membership_write(
        coalition=coalition,
        country=country,
        role=Role.CANDIDATE,
        start=submitted,
        note=f"application #{application.pk}",
        source=source,
    )
    audit_record(
        actor=actor,
        action="application.submitted",
        object_type="application",
        object_id=application.pk,
        changes={
            "coalition": coalition.slug,
            "country": country.code,
            "submitted": submitted,
            "deadline": deadline,
            "letter_reference": letter_reference,
            "letter_date": letter_date,
            "rule": application.rule,
            "majority_threshold": application.majority_threshold,
            "quorum": application.quorum,
            "electorate": sorted(c.code for c in electorate),
            "candidate_role": {"membership": candidacy.pk, "start": candidacy.start},
        },
    )
    return application


@transaction.atomic
def application_withdraw(
    *, actor: Actor, application: Application, on: date | None = None
) -> Application:
    """The candidate withdraws; its candidate role ends that day. It may apply again later.
    `on` (another day than today) is for data loaders only."""
    require(
        actor,
        "application.withdraw",
        coalition=application.coalition,
        country=application.country_id,
    )
    today = timezone.localdate()
    if on is not None and on != today:
        require(actor, "application.backdate")
    on = on or today
    locked = _lock(application)
    _refuse_if_decided(locked, on)
    if on < locked.submitted:
        raise InvalidApplication("a withdrawal cannot precede the application", field="on")
    locked.status = ApplicationStatus.WITHDRAWN
    locked.decided = on
    locked.save(update_fields=["status", "decided"])
    audit_record(
        actor=actor,
        action="application.withdrawn",
        object_type="application",
        object_id=locked.pk,
        changes={
            "country": locked.country_id,
            "status": locked.status,
            "decided": on,
            "candidate_role": _end_candidacy(locked, on),
        },
    )
    return locked


@transaction.atomic
def application_vote(
    *,
    actor: Actor,
    application: Application,
    vote: str,
    comment: str = "",
    cast: datetime | None = None,
    country: str | None = None,
) -> Vote:
    """The actor's country casts its one vote; the rule decides the moment the outcome is
    certain. A data loader replaying recorded history (a system actor granted
    `application.backdate`) names the `country` and the time it voted (`cast`).

    The application row is locked first, so of two concurrent last votes exactly one
    sees the complete tally and takes the decision.
    """
    if cast is not None or country is not None:
        require(actor, "application.backdate")
    country = country if actor.is_system else actor.speaks_for
    if country is None:
        require(actor, "application.vote")  # refused: says who votes
        raise InvalidApplication("a vote is cast for a country", field="country")
    if vote not in VoteChoice.values:
        raise InvalidApplication(f"a vote is 'approve' or 'reject', not '{vote}'", field="vote")
    locked = _lock(application)
    if actor.is_system:  # a loader names the country: the electorate is checked here
        if problem := selectors.elector_problem(locked, country):
            raise NotAnElector(problem[0], code=problem[1])
    else:  # a delegate votes for its own country, if the policy lets it
        require(actor, "application.vote", application=locked)
    cast = cast or timezone.now()
    day = timezone.localdate(cast)
    _refuse_if_decided(locked, day)
    if day < locked.submitted:
        raise InvalidApplication("a vote cannot precede the application", field="cast")
    if locked.votes.filter(country_id=country).exists():
        raise AlreadyVoted(
            f"{country} has already voted on application {locked.pk}",
            code="application.already_voted",
        )
    ballot = Vote(
        application=locked,
        country_id=country,
        vote=vote,
        comment=comment,
        cast=cast,
        cast_by_id=actor.user_id,
    )
    model_check(ballot, exclude=["application", "country", "cast_by"])
    ballot.save()
    decision = _decide(locked, on=day, final=False)
    audit_record(
        actor=actor,
        action="application.voted",
        object_type="application",
        object_id=locked.pk,
        changes={
            "vote": ballot.pk,
            "country": country,
            "choice": vote,
            "comment": comment,
            "cast": cast,
            "decision": decision,
        },
    )
    return ballot


@transaction.atomic
def _application_close_expired(
    *, actor: Actor, application: Application, today: date
) -> Application | None:
    """Decide a pending application whose deadline has passed, as of the deadline.

    Missing votes count as not approving. Returns None (and writes nothing) when the
    application is decided already or its deadline has not passed.
    """
    locked = _lock(application)
    if (
        locked.status != ApplicationStatus.PENDING
        or locked.deadline is None
        or locked.deadline >= today
    ):
        return None
    decision = _decide(locked, on=locked.deadline, final=True)
    audit_record(
        actor=actor,
        action="application.closed",
        object_type="application",
        object_id=locked.pk,
        changes={"deadline": locked.deadline, "decision": decision},
    )
    return locked


def applications_close_expired(
    *, actor: Actor, coalition: Coalition | None = None, today: date | None = None
) -> list[Application]:
    """Close every expired application, each in its own transaction with its own event.

    Run by the task worker's periodic job and by `coalition accession close-expired`;
    readers never close anything: they compute an expired vote's outcome themselves
    (`selectors.application_outcome`).
    """
    require(actor, "accession.close_expired")
    today = today or timezone.localdate()
    expired = Application.objects.filter(status=ApplicationStatus.PENDING, deadline__lt=today)
    if coalition is not None:
        expired = expired.filter(coalition=coalition)
    closed = []
    for application in expired.order_by("id"):
        done = _application_close_expired(actor=actor, application=application, today=today)
        if done is not None:
            closed.append(done)
    return closed
