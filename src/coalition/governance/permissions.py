"""Who may do what in the accession procedure. The API and the web views ask here.

Rights come from the user's delegation and from the roles its country holds on the day:
a country's delegate speaks for its country (applies, votes, withdraws), the delegate of
the country holding the chair on the day records letters, meetings and their decisions,
and a superuser may do whatever the chair may. Auditors and the beneficiary's users read.
Whether a country has a vote at all is the accession services' business (the electorate).
"""

from dataclasses import dataclass
from datetime import date

from coalition.governance import selectors
from coalition.governance.errors import NotAllowed
from coalition.governance.models import (
    Application,
    ApplicationStatus,
    Coalition,
    Country,
    DelegateKind,
    Role,
)


def is_admin(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


def delegate_country(user: object) -> Country | None:
    """The country the user speaks for (delegates only: not auditors or beneficiary users)."""
    delegate = selectors.delegate_of(user)
    if delegate is None or delegate.kind != DelegateKind.DELEGATE or delegate.country is None:
        return None
    return delegate.country


def is_chair(user: object, coalition: Coalition, on: date) -> bool:
    if is_admin(user):
        return True
    country = delegate_country(user)
    return country is not None and country.code in selectors.role_holders_on(
        coalition=coalition, role=Role.CHAIR, on=on
    )


def require_chair(user: object, coalition: Coalition, on: date, doing: str) -> None:
    if not is_chair(user, coalition, on):
        raise NotAllowed(f"only the chair's delegate or an administrator may {doing}")


def require_applicant(
    user: object, coalition: Coalition, country: Country, on: date, *, chair_fields: bool
) -> None:
    """A country's delegate applies for its country; the chair records any, with a letter
    reference and date or a deadline (`chair_fields`)."""
    if is_chair(user, coalition, on):
        return
    if chair_fields:
        raise NotAllowed(
            "only the chair's delegate or an administrator records a letter or sets a deadline"
        )
    own = delegate_country(user)
    if own is None or own.code != country.code:
        raise NotAllowed(f"only a delegate of {country.code} may apply for {country.code}")


def require_voter(user: object) -> Country:
    """The country the user votes for; whether it may vote is for the service to say."""
    country = delegate_country(user)
    if country is None:
        raise NotAllowed("only a member country's delegate votes")
    return country


def _speaks_for_candidate_or_chairs(user: object, application: Application, on: date) -> bool:
    own = delegate_country(user)
    if own is not None and own.code == application.country_id:
        return True
    return is_chair(user, application.coalition, on)


def require_withdrawer(user: object, application: Application, on: date) -> None:
    if not _speaks_for_candidate_or_chairs(user, application, on):
        raise NotAllowed(
            f"only a delegate of {application.country_id}, the chair's delegate or an "
            "administrator may withdraw this application"
        )


@dataclass(frozen=True)
class Actions:
    """What the user may do on an application's page."""

    vote: bool
    withdraw: bool
    link_meeting: bool


def application_actions(user: object, application: Application, on: date) -> Actions:
    own = delegate_country(user)
    pending = application.status == ApplicationStatus.PENDING
    open_ = pending and (application.deadline is None or application.deadline >= on)
    voted = {v.country_id for v in application.votes.all()}
    electors = {c.code for c in application.electorate.all()}
    decided = application.status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
    return Actions(
        vote=bool(
            open_
            and own is not None
            and own.code in electors
            and own.code != application.country_id
            and own.code not in voted
        ),
        withdraw=pending and _speaks_for_candidate_or_chairs(user, application, on),
        link_meeting=bool(
            decided
            and application.decision_meeting_id is None
            and is_chair(user, application.coalition, on)
        ),
    )
