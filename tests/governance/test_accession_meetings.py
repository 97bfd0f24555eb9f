"""Meetings and their decisions; linking an accession decision to the meeting that took it."""

import datetime as dt

import pytest
from django.utils import translation

from coalition.audit.models import AuditEvent
from coalition.governance import labels
from coalition.governance.errors import ApplicationConflict, InvalidMeeting
from coalition.governance.services import meetings
from tests.governance.accession_helpers import (
    DEMO_ELECTORATE,
    drone,
    pending_of,
    refreshed,
    small_coalition,
    vote,
)
from tests.helpers import TEST, user_actor

pytestmark = pytest.mark.django_db
JUNE_2 = dt.date(2025, 6, 2)


def steering_committee() -> object:
    return meetings.meeting_record(
        actor=user_actor("delegate-lv"), coalition=drone(), date=JUNE_2, kind="steering-committee"
    )


def approve_tr() -> object:
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE:
        vote(tr, code)
    return refreshed(tr)


def test_a_decision_is_linked_to_its_meeting(demo: object) -> None:
    tr = approve_tr()
    meeting = steering_committee()
    before = AuditEvent.objects.count()
    decision = meetings.meeting_decision_record(
        actor=user_actor("delegate-lv"), meeting=meeting, application=tr
    )
    assert decision.text == "Accession of Türkiye: application approved"
    assert refreshed(tr).decision_meeting == meeting
    event = AuditEvent.objects.get(seq=before + 1)
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.changes["application"]) == ("meeting.decision_recorded", tr.pk)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "approved at the steering committee of 2 June 2025"),
        ("fr", "approuvée au comité directeur du 2 juin 2025"),
        ("uk", "схвалено на засіданні керівного комітету 2 червня 2025"),
    ],
)
def test_the_decision_reads_with_its_meeting(demo: object, language: str, expected: str) -> None:
    tr = approve_tr()
    meetings.meeting_decision_record(actor=TEST, meeting=steering_committee(), application=tr)
    with translation.override(language):
        assert labels.decision_label(refreshed(tr)) == expected


def test_without_a_meeting_the_decision_reads_with_its_date(demo: object) -> None:
    with translation.override("en"):
        assert labels.decision_label(approve_tr()) == "approved on 2 June 2025"


def test_a_pending_application_cannot_be_linked(demo: object) -> None:
    with pytest.raises(ApplicationConflict, match="is pending: only a decision can be linked"):
        meetings.meeting_decision_record(
            actor=TEST, meeting=steering_committee(), application=pending_of("TR")
        )


def test_a_decision_is_linked_once(demo: object) -> None:
    tr = approve_tr()
    meeting = steering_committee()
    meetings.meeting_decision_record(actor=TEST, meeting=meeting, application=tr)
    with pytest.raises(ApplicationConflict, match="already linked"):
        meetings.meeting_decision_record(actor=TEST, meeting=meeting, application=tr)


def test_a_meeting_of_another_coalition_cannot_be_linked(demo: object) -> None:
    other = small_coalition(members=["AT", "BG"])
    meeting = meetings.meeting_record(actor=TEST, coalition=other, date=JUNE_2, kind="summit")
    with pytest.raises(InvalidMeeting, match="different coalitions"):
        meetings.meeting_decision_record(actor=TEST, meeting=meeting, application=approve_tr())


def test_a_meeting_needs_a_known_kind_and_a_decision_a_text(demo: object) -> None:
    with pytest.raises(InvalidMeeting, match="unknown meeting kind 'party'"):
        meetings.meeting_record(actor=TEST, coalition=drone(), date=JUNE_2, kind="party")
    with pytest.raises(InvalidMeeting, match="needs a text"):
        meetings.meeting_decision_record(actor=TEST, meeting=steering_committee(), text=" ")
