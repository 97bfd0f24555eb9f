"""Thin REST router of the accession procedure: applications, votes, meetings (docs/CONTRACT.md).

Every endpoint needs a login (Bearer token or session); the services and selectors ask
the access policy. A read never writes: an application whose deadline has passed reads
with the outcome its votes give, and the task worker records the decision.
"""

from django.http import HttpRequest
from ninja import Router, Status

from coalition.access.actor import actor_of
from coalition.governance import selectors
from coalition.governance.models import Application, ApplicationStatus, Coalition, Meeting
from coalition.governance.schemas import (
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    DecisionIn,
    DecisionOut,
    MeetingIn,
    MeetingOut,
    MeetingRefOut,
    RuleOut,
    StillNeededOut,
    TallyOut,
    VoteCastOut,
    VoteIn,
    VoteOut,
)
from coalition.governance.services import accession, meetings
from coalition.governance.tally import (
    StillNeeded,
    approvals_required,
    still_needed,
    votes_required,
)
from coalition.schema_types import Id

router = Router(tags=["accession"])


def _application(request: HttpRequest, coalition: Coalition, application_id: int) -> Application:
    return selectors.application_get(
        actor=actor_of(request), coalition=coalition, application_id=application_id
    )


def application_out(application: Application) -> ApplicationOut:
    return ApplicationOut(
        id=application.id,
        country=application.country_id,
        status=application.status,
        submitted=application.submitted,
        decided=application.decided,
        deadline=application.deadline,
        letter_reference=application.letter_reference,
        meeting=str(application.meeting) if application.meeting else None,
    )


def meeting_ref_out(meeting: Meeting) -> MeetingRefOut:
    return MeetingRefOut(
        id=meeting.id,
        date=meeting.date,
        kind=meeting.kind,
        place=meeting.place,
        title=meeting.title,
    )


def application_detail_out(application: Application) -> ApplicationDetailOut:
    rule = selectors.application_rule(application)
    tally = selectors.application_tally(application)
    pending = application.status == ApplicationStatus.PENDING
    need = still_needed(rule, tally) if pending else StillNeeded(approvals=0, votes=0)
    meeting = application.decision_meeting
    return ApplicationDetailOut(
        **application_out(application).dict(),
        letter_date=application.letter_date,
        note=application.note,
        electorate=sorted(c.code for c in application.electorate.all()),
        votes=[
            VoteOut(country=v.country_id, vote=v.vote, cast=v.cast, comment=v.comment)
            for v in application.votes.all()
        ],
        rule=RuleOut(
            name=rule.name,
            threshold=str(rule.threshold),
            quorum=str(rule.quorum),
            approvals_required=approvals_required(rule, tally.electorate),
            votes_required=votes_required(rule, tally.electorate),
        ),
        tally=TallyOut(
            electorate=tally.electorate,
            approve=tally.approve,
            reject=tally.reject,
            not_voted=tally.not_voted,
        ),
        still_needed=StillNeededOut(approvals=need.approvals, votes=need.votes),
        decision_meeting=meeting_ref_out(meeting) if meeting else None,
    )


@router.get(
    "/coalitions/{slug}/applications",
    response=list[ApplicationOut],
    summary="Accession applications (optionally of one status)",
)
def applications(
    request: HttpRequest, slug: str, status: str | None = None
) -> list[ApplicationOut]:
    coalition = selectors.coalition_get(slug=slug)
    found = selectors.applications_list(actor=actor_of(request), coalition=coalition, status=status)
    return [application_out(a) for a in found]


@router.post(
    "/coalitions/{slug}/applications",
    response={201: ApplicationDetailOut},
    summary="Apply (a candidate's delegate), or record a letter application (the chair)",
)
def application_create(
    request: HttpRequest, slug: str, body: ApplicationIn
) -> Status[ApplicationDetailOut]:
    coalition = selectors.coalition_get(slug=slug)
    country = selectors.country_get(code=body.country)
    application = accession.application_submit(
        actor=actor_of(request),
        coalition=coalition,
        country=country,
        letter_reference=body.letter_reference,
        letter_date=body.letter_date,
        deadline=body.deadline,
        note=body.note,
    )
    return Status(201, application_detail_out(_application(request, coalition, application.pk)))


@router.get(
    "/coalitions/{slug}/applications/{application_id}",
    response=ApplicationDetailOut,
    summary="An application with its votes, tally, rule and what is still needed",
)
def application_detail(request: HttpRequest, slug: str, application_id: Id) -> ApplicationDetailOut:
    coalition = selectors.coalition_get(slug=slug)
    return application_detail_out(_application(request, coalition, application_id))


@router.post(
    "/coalitions/{slug}/applications/{application_id}/votes",
    response={201: VoteCastOut},
    summary="Vote on an application (a delegate of a country of its electorate)",
)
def vote_cast(
    request: HttpRequest, slug: str, application_id: Id, body: VoteIn
) -> Status[VoteCastOut]:
    coalition = selectors.coalition_get(slug=slug)
    application = _application(request, coalition, application_id)
    ballot = accession.application_vote(
        actor=actor_of(request),
        application=application,
        vote=body.vote,
        comment=body.comment,
    )
    decided = ballot.application
    return Status(
        201,
        VoteCastOut(
            country=ballot.country_id,
            vote=ballot.vote,
            cast=ballot.cast,
            comment=ballot.comment,
            application=decided.pk,
            application_status=decided.status,
            decided=decided.decided,
        ),
    )


@router.post(
    "/coalitions/{slug}/applications/{application_id}/withdraw",
    response=ApplicationDetailOut,
    summary="Withdraw an application (the candidate's delegate, or the chair)",
)
def application_withdraw(
    request: HttpRequest, slug: str, application_id: Id
) -> ApplicationDetailOut:
    coalition = selectors.coalition_get(slug=slug)
    application = _application(request, coalition, application_id)
    accession.application_withdraw(actor=actor_of(request), application=application)
    return application_detail_out(_application(request, coalition, application_id))


def meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        **meeting_ref_out(meeting).dict(),
        decisions=[
            DecisionOut(
                id=d.id,
                text=d.text,
                application=d.application_id,
                country=d.application.country_id if d.application else None,
                status=d.application.status if d.application else None,
            )
            for d in meeting.decisions.all()
        ],
    )


@router.get(
    "/coalitions/{slug}/meetings", response=list[MeetingOut], summary="Meetings and decisions"
)
def meeting_list(request: HttpRequest, slug: str) -> list[MeetingOut]:
    coalition = selectors.coalition_get(slug=slug)
    return [
        meeting_out(m)
        for m in selectors.meetings_list(actor=actor_of(request), coalition=coalition)
    ]


@router.post(
    "/coalitions/{slug}/meetings",
    response={201: MeetingOut},
    summary="Record a meeting (the chair)",
)
def meeting_create(request: HttpRequest, slug: str, body: MeetingIn) -> Status[MeetingOut]:
    coalition = selectors.coalition_get(slug=slug)
    actor = actor_of(request)
    meeting = meetings.meeting_record(actor=actor, coalition=coalition, **body.dict())
    return Status(
        201,
        meeting_out(selectors.meeting_get(actor=actor, coalition=coalition, meeting_id=meeting.pk)),
    )


@router.post(
    "/coalitions/{slug}/meetings/{meeting_id}/decisions",
    response={201: DecisionOut},
    summary="Record a meeting's decision, e.g. link an accession decision to it (the chair)",
)
def decision_create(
    request: HttpRequest, slug: str, meeting_id: Id, body: DecisionIn
) -> Status[DecisionOut]:
    coalition = selectors.coalition_get(slug=slug)
    actor = actor_of(request)
    meeting = selectors.meeting_get(actor=actor, coalition=coalition, meeting_id=meeting_id)
    application = _application(request, coalition, body.application) if body.application else None
    decision = meetings.meeting_decision_record(
        actor=actor, meeting=meeting, text=body.text, application=application
    )
    linked = decision.application
    return Status(
        201,
        DecisionOut(
            id=decision.pk,
            text=decision.text,
            application=linked.pk if linked else None,
            country=linked.country_id if linked else None,
            status=linked.status if linked else None,
        ),
    )
