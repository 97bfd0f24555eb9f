"""Thin REST router for coalitions and members (docs/CONTRACT.md); accession_api.py beside."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from coalition.governance import selectors
from coalition.governance.accession_api import router as accession_router
from coalition.governance.models import Category, Coalition, Role
from coalition.governance.schemas import (
    CategoryOut,
    CoalitionDetailOut,
    CoalitionOut,
    MemberOut,
    SourceOut,
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
        accession_vote_days=coalition.accession_vote_days,
        ocid_prefix=coalition.ocid_prefix,
        confidential_prices=coalition.confidential_prices,
        confidential_suppliers=coalition.confidential_suppliers,
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


# Applications, votes and meetings live beside, in their own router.
router.add_router("", accession_router)


@router.get(
    "/categories",
    response=list[CategoryOut],
    auth=None,
    summary="The capability categories (earmarks, requirements, competitions)",
)
def categories(request: HttpRequest) -> list[Category]:
    return list(selectors.categories_list())
