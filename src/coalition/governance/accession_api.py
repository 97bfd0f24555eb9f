"""Thin REST router of the accession procedure: applications, votes, meetings (CONTRACT.md).

Every endpoint needs a login (Bearer token or session). Before it reads or writes, an
endpoint closes the coalition's applications whose deadline has passed, so a request
never sees an application that should already have been decided.
"""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from coalition.governance import accession, meetings, permissions, selectors
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
from coalition.governance.tally import (
    StillNeeded,
    approvals_required,
    still_needed,
    votes_required,
)

router = Router(tags=["accession"])


def _coalition(slug: str) -> Coalition:
    coalition = selectors.coalition_get(slug=slug)
    accession.applications_close_expired(coalition=coalition)
    return coalition


def _application(coalition: Coalition, application_id: int) -> Application:
    return selectors.application_get(coalition=coalition, application_id=application_id)


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
    coalition = _coalition(slug)
    return [
        application_out(a) for a in selectors.applications_list(coalition=coalition, status=status)
    ]


@router.post(
    "/coalitions/{slug}/applications",
    response={201: ApplicationDetailOut},
    summary="Apply (a candidate's delegate), or record a letter application (the chair)",
)
def application_create(
    request: HttpRequest, slug: str, body: ApplicationIn
) -> Status[ApplicationDetailOut]:
    coalition = _coalition(slug)
    country = selectors.country_get(code=body.country)
    chair_fields = bool(body.letter_reference or body.letter_date or body.deadline)
    permissions.require_applicant(
        request.user, coalition, country, timezone.localdate(), chair_fields=chair_fields
    )
    application = accession.application_submit(
        actor=request.user,
        coalition=coalition,
        country=country,
        letter_reference=body.letter_reference,
        letter_date=body.letter_date,
        deadline=body.deadline,
        note=body.note,
    )
    return Status(201, application_detail_out(_application(coalition, application.pk)))


@router.get(
    "/coalitions/{slug}/applications/{application_id}",
    response=ApplicationDetailOut,
    summary="An application with its votes, tally, rule and what is still needed",
)
def application_detail(
    request: HttpRequest, slug: str, application_id: int
) -> ApplicationDetailOut:
    coalition = _coalition(slug)
    return application_detail_out(_application(coalition, application_id))


@router.post(
    "/coalitions/{slug}/applications/{application_id}/votes",
    response={201: VoteCastOut},
    summary="Vote on an application (a delegate of a country of its electorate)",
)
def vote_cast(
    request: HttpRequest, slug: str, application_id: int, body: VoteIn
) -> Status[VoteCastOut]:
    coalition = _coalition(slug)
    application = _application(coalition, application_id)
    country = permissions.require_voter(request.user)
    ballot = accession.application_vote(
        actor=request.user,
        application=application,
        country=country,
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
    request: HttpRequest, slug: str, application_id: int
) -> ApplicationDetailOut:
    coalition = _coalition(slug)
    application = _application(coalition, application_id)
    permissions.require_withdrawer(request.user, application, timezone.localdate())
    accession.application_withdraw(actor=request.user, application=application)
    return application_detail_out(_application(coalition, application_id))


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
    return [meeting_out(m) for m in selectors.meetings_list(coalition=coalition)]


@router.post(
    "/coalitions/{slug}/meetings",
    response={201: MeetingOut},
    summary="Record a meeting (the chair)",
)
def meeting_create(request: HttpRequest, slug: str, body: MeetingIn) -> Status[MeetingOut]:
    coalition = selectors.coalition_get(slug=slug)
    permissions.require_chair(request.user, coalition, timezone.localdate(), "record a meeting")
    meeting = meetings.meeting_record(actor=request.user, coalition=coalition, **body.dict())
    return Status(
        201, meeting_out(selectors.meeting_get(coalition=coalition, meeting_id=meeting.pk))
    )


@router.post(
    "/coalitions/{slug}/meetings/{meeting_id}/decisions",
    response={201: DecisionOut},
    summary="Record a meeting's decision, e.g. link an accession decision to it (the chair)",
)
def decision_create(
    request: HttpRequest, slug: str, meeting_id: int, body: DecisionIn
) -> Status[DecisionOut]:
    coalition = _coalition(slug)
    meeting = selectors.meeting_get(coalition=coalition, meeting_id=meeting_id)
    permissions.require_chair(request.user, coalition, timezone.localdate(), "record a decision")
    application = _application(coalition, body.application) if body.application else None
    decision = meetings.meeting_decision_record(
        actor=request.user, meeting=meeting, text=body.text, application=application
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
