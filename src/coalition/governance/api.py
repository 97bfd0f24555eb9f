"""Thin REST router for coalitions, members and applications (CONTRACT.md)."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from coalition.governance import selectors
from coalition.governance.models import Application, Coalition, Role
from coalition.governance.schemas import (
    ApplicationDetailOut,
    ApplicationOut,
    CoalitionDetailOut,
    CoalitionOut,
    MemberOut,
    SourceOut,
    VoteOut,
)

router = Router(tags=["governance"])


def _members_out(coalition: Coalition, on: date) -> list[MemberOut]:
    return [
        MemberOut(
            country=row.country.code,
            name=row.country.name,
            roles=row.roles,
            since=row.since,
            note=row.note,
            source=row.source_key,
        )
        for row in selectors.members_on(coalition=coalition, on=on)
    ]


@router.get("/coalitions", response=list[CoalitionOut], auth=None, summary="List coalitions")
def coalitions(request: HttpRequest) -> list[Coalition]:
    return list(selectors.coalition_list())


@router.get(
    "/coalitions/{slug}", response=CoalitionDetailOut, auth=None, summary="A coalition today"
)
def coalition_detail(request: HttpRequest, slug: str, on: date | None = None) -> CoalitionDetailOut:
    coalition = selectors.coalition_get(slug=slug)
    day = on or timezone.localdate()

    def holder(role: str) -> str | None:
        return selectors.role_holder_on(coalition=coalition, role=role, on=day)

    return CoalitionDetailOut(
        slug=coalition.slug,
        name=coalition.name,
        founded=coalition.founded,
        format=coalition.format,
        accession_rule=coalition.accession_rule,
        description=coalition.description,
        majority_threshold=str(coalition.majority_threshold),
        quorum=str(coalition.quorum),
        on=day,
        chair=holder(Role.CHAIR),
        fund_manager=holder(Role.FUND_MANAGER),
        beneficiary=holder(Role.BENEFICIARY),
        members=_members_out(coalition, day),
        source=SourceOut.from_orm(coalition.source) if coalition.source else None,
    )


@router.get(
    "/coalitions/{slug}/members",
    response=list[MemberOut],
    auth=None,
    summary="Members on a date (default: today)",
)
def members(request: HttpRequest, slug: str, on: date | None = None) -> list[MemberOut]:
    coalition = selectors.coalition_get(slug=slug)
    return _members_out(coalition, on or timezone.localdate())


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


@router.get("/coalitions/{slug}/applications", response=list[ApplicationOut])
def applications(
    request: HttpRequest, slug: str, status: str | None = None
) -> list[ApplicationOut]:
    coalition = selectors.coalition_get(slug=slug)
    return [
        application_out(a) for a in selectors.applications_list(coalition=coalition, status=status)
    ]


@router.get("/coalitions/{slug}/applications/{application_id}", response=ApplicationDetailOut)
def application_detail(
    request: HttpRequest, slug: str, application_id: int
) -> ApplicationDetailOut:
    coalition = selectors.coalition_get(slug=slug)
    application = selectors.application_get(coalition=coalition, application_id=application_id)
    base = application_out(application)
    return ApplicationDetailOut(
        **base.dict(),
        electorate=sorted(c.code for c in application.electorate.all()),
        votes=[
            VoteOut(country=v.country_id, vote=v.vote, cast=v.cast, comment=v.comment)
            for v in application.votes.all()
        ],
    )
