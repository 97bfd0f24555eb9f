"""The accession procedure: meetings, applications, votes, decisions (writes)."""

from datetime import date

from django.db import IntegrityError, transaction

from coalition.audit.services import Actor, audit_record
from coalition.governance.errors import ApplicationConflict, NotAllowed
from coalition.governance.models import (
    Application,
    Coalition,
    Country,
    Meeting,
    Role,
    Source,
)
from coalition.governance.selectors import is_member_on, members_on
from coalition.governance.services import membership_start


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
    meeting = Meeting(
        coalition=coalition, date=date, kind=kind, place=place, title=title, source=source
    )
    meeting.full_clean()
    meeting.save()
    audit_record(
        actor=actor,
        action="meeting.recorded",
        object_type="meeting",
        object_id=meeting.pk,
        changes={"coalition": coalition.slug, "date": date, "kind": kind, "place": place},
    )
    return meeting


@transaction.atomic
def application_submit(
    *,
    actor: Actor,
    coalition: Coalition,
    country: Country,
    submitted: date,
    deadline: date | None = None,
    letter_reference: str = "",
    letter_date: date | None = None,
    note: str = "",
    source: Source | None = None,
    meeting: Meeting | None = None,
) -> Application:
    """A country applies; the members of that day become the frozen electorate."""
    if is_member_on(coalition=coalition, country_code=country.code, on=submitted):
        raise NotAllowed(f"{country.code} is already a member of {coalition.slug}")
    if deadline is not None and deadline < submitted:
        raise ApplicationConflict("the deadline is before the submission", field="deadline")
    application = Application(
        coalition=coalition,
        country=country,
        submitted=submitted,
        deadline=deadline,
        letter_reference=letter_reference,
        letter_date=letter_date,
        note=note,
        source=source,
        meeting=meeting,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ApplicationConflict(
            f"{country.code} already has a pending application to {coalition.slug}"
        ) from None
    electorate = [row.country for row in members_on(coalition=coalition, on=submitted)]
    application.electorate.set(electorate)
    membership_start(
        actor=actor, coalition=coalition, country=country, role=Role.CANDIDATE, start=submitted
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
            "electorate": sorted(c.code for c in electorate),
        },
    )
    return application
