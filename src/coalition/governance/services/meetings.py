"""Meetings of a coalition and the decisions taken there (writes).

A decision may be the one on an accession application: the chair links it to the meeting
where it was taken, so the application reads "approved at the steering committee of ...".
"""

from datetime import date

from django.db import transaction

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance.errors import ApplicationConflict, InvalidMeeting
from coalition.governance.models import (
    Application,
    ApplicationStatus,
    Coalition,
    Meeting,
    MeetingDecision,
    MeetingKind,
    Source,
)
from coalition.validation import model_check, text_check

MAX_DECISION_TEXT = 5000


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    coalition: Coalition,
    date: date,
    kind: str,
    place: str = "",
    title: str = "",
    source: Source | None = None,
) -> Meeting:
    require(actor, "meeting.record", coalition=coalition)
    if kind not in MeetingKind.values:
        raise InvalidMeeting(
            f"unknown meeting kind '{kind}' (one of {', '.join(MeetingKind.values)})", field="kind"
        )
    meeting = Meeting(
        coalition=coalition, date=date, kind=kind, place=place, title=title, source=source
    )
    model_check(meeting, exclude=["coalition", "source"])
    meeting.save()
    audit_record(
        actor=actor,
        action="meeting.recorded",
        object_type="meeting",
        object_id=meeting.pk,
        changes={
            "coalition": coalition.slug,
            "date": date,
            "kind": kind,
            "place": place,
            "title": title,
        },
    )
    return meeting


def _default_decision_text(application: Application) -> str:
    return f"Accession of {application.country.name}: application {application.status}"


@transaction.atomic
def meeting_decision_record(
    *,
    actor: Actor,
    meeting: Meeting,
    text: str = "",
    application: Application | None = None,
) -> MeetingDecision:
    """A decision taken at `meeting`; with `application`, the meeting is where it was decided."""
    require(actor, "meeting.decide", coalition=meeting.coalition)
    text_check(text, field="text", max_length=MAX_DECISION_TEXT)
    locked: Application | None = None
    if application is not None:
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.coalition_id != meeting.coalition_id:
            raise InvalidMeeting(
                "the meeting and the application belong to different coalitions", field="meeting"
            )
        if locked.status not in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
            raise ApplicationConflict(
                f"application {locked.pk} is {locked.status}: only a decision can be linked"
            )
        if locked.decision_meeting_id is not None:
            raise ApplicationConflict(
                f"application {locked.pk} is already linked to meeting {locked.decision_meeting_id}"
            )
        if meeting.date < locked.submitted:
            raise InvalidMeeting("the meeting took place before the application", field="meeting")
        locked.decision_meeting = meeting
        locked.save(update_fields=["decision_meeting"])
        text = text or _default_decision_text(locked)
    if not text.strip():
        raise InvalidMeeting("a decision needs a text or an application", field="text")
    decision = MeetingDecision.objects.create(meeting=meeting, text=text, application=locked)
    audit_record(
        actor=actor,
        action="meeting.decision_recorded",
        object_type="meeting",
        object_id=meeting.pk,
        changes={
            "decision": decision.pk,
            "text": text,
            "application": locked.pk if locked else None,
            "status": locked.status if locked else None,
        },
    )
    return decision
